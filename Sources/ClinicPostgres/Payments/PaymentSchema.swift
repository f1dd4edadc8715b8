/// Invoices and the payments that settle them. Amounts are integers in tiyn (1 tenge = 100
/// tiyn), never floats; the currency is KZT. A payment is recorded once: its provider's
/// transaction id is unique, and an invoice takes one payment (`bot_payments_invoice_key`), so a
/// replayed, duplicated or concurrent callback cannot count twice even if the code above it
/// were wrong.
enum PaymentSchema {
    static let payments = Migration(version: 13, name: "bot_payments", sql: """
        CREATE TABLE bot_invoices (
            id               bigserial PRIMARY KEY,
            -- Shown to the patient and the staff: "2026-000042".
            number           text NOT NULL UNIQUE,
            patient_id       bigint NOT NULL REFERENCES patients (id),
            appointment_id   bigint NULL REFERENCES appointments (id),
            description      text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
            amount_tiyn      bigint NOT NULL CHECK (amount_tiyn BETWEEN 1 AND 100000000000),
            currency         text NOT NULL DEFAULT 'KZT' CHECK (currency = 'KZT'),
            -- Which provider the patient pays through: telegram, redirect, fake.
            provider         text NOT NULL,
            -- What the provider is told the invoice is: random, so an invoice's number or id
            -- cannot be guessed into a payment for someone else's.
            reference        text NOT NULL UNIQUE,
            status           text NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'paid', 'cancelled', 'expired')),
            created_at       timestamptz NOT NULL DEFAULT now(),
            expires_at       timestamptz NULL,
            paid_at          timestamptz NULL,
            -- A paid visit cancelled: the staff return the money (`refund_requested_at` set).
            refund_requested_at timestamptz NULL,
            CHECK ((status = 'paid') = (paid_at IS NOT NULL))
        );
        CREATE INDEX bot_invoices_patient_idx ON bot_invoices (patient_id, created_at DESC, id DESC);
        CREATE INDEX bot_invoices_appointment_idx ON bot_invoices (appointment_id) WHERE appointment_id IS NOT NULL;

        CREATE TABLE bot_payments (
            id               bigserial PRIMARY KEY,
            invoice_id       bigint NOT NULL REFERENCES bot_invoices (id),
            provider         text NOT NULL,
            transaction_id   text NOT NULL CHECK (length(transaction_id) BETWEEN 1 AND 128),
            amount_tiyn      bigint NOT NULL CHECK (amount_tiyn > 0),
            received_at      timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT bot_payments_transaction_key UNIQUE (provider, transaction_id),
            CONSTRAINT bot_payments_invoice_key UNIQUE (invoice_id)
        );

        -- A provider's word that did not count: a second payment of a paid invoice (money to
        -- return), an amount that does not match. Kept for the staff; never a payment.
        CREATE TABLE bot_payment_anomalies (
            id               bigserial PRIMARY KEY,
            invoice_id       bigint NULL REFERENCES bot_invoices (id),
            provider         text NOT NULL,
            transaction_id   text NOT NULL,
            amount_tiyn      bigint NOT NULL,
            reason           text NOT NULL CHECK (reason IN ('already_paid', 'amount_mismatch', 'not_payable', 'unknown_invoice')),
            received_at      timestamptz NOT NULL DEFAULT now(),
            UNIQUE (provider, transaction_id, reason)
        );
        """)
}

extension PaymentSchema {
    /// The transaction that paid an invoice, on the invoice itself. `bot_payments` has it too;
    /// here it is what a callback waiting on the invoice's row lock sees once the lock is
    /// released (the locked row is re-read, other tables are not), so that a duplicate arriving
    /// during the first callback's transaction is told "duplicate", not "already paid".
    static let paidBy = Migration(version: 14, name: "bot_invoices_paid_by", sql: """
        ALTER TABLE bot_invoices ADD COLUMN paid_provider text NULL, ADD COLUMN paid_transaction_id text NULL;
        UPDATE bot_invoices i SET paid_provider = p.provider, paid_transaction_id = p.transaction_id
        FROM bot_payments p WHERE p.invoice_id = i.id;
        """)
}

extension PaymentSchema {
    /// Prepayment: a prepaid service's visit booked through the bot is `held` until
    /// `hold_until` (it takes the doctor's time, so no one else books it), then booked when
    /// paid or given back (`PrepaidVisits.releaseExpired`, found by `appointments_holds_idx`).
    static let holds = Migration(version: 15, name: "appointments_held", sql: """
        ALTER TABLE appointments DROP CONSTRAINT appointments_status_check;
        ALTER TABLE appointments ADD CONSTRAINT appointments_status_check
            CHECK (status IN ('held', 'booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show'));
        ALTER TABLE appointments ADD COLUMN hold_until timestamptz NULL;
        ALTER TABLE appointments ADD CONSTRAINT appointments_hold_check CHECK (status <> 'held' OR hold_until IS NOT NULL);
        CREATE INDEX appointments_holds_idx ON appointments (hold_until) WHERE status = 'held';
        """)
}

extension PaymentSchema {
    /// The payments' domain: invoices, payments, anomalies, prepaid holds.
    static let migrations: [Migration] = [payments, paidBy, holds]
}
