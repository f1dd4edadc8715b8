/// The patient tables. IINs and phone numbers are stored only encrypted (`*_cipher`) and as
/// keyed hashes (`*_hash`) for lookups and uniqueness: see `PIICipher`.
enum PatientSchema {
    static let patientsIINUnique = "patients_iin_hash_key"
    static let activeLinkPerUser = "patient_telegram_links_active_user_key"
    static let activeLinkPerPatient = "patient_telegram_links_active_patient_key"
    /// The indexes concurrent registrations can collide on.
    static let uniqueIndexes = [patientsIINUnique, activeLinkPerUser, activeLinkPerPatient]

    static let patients = Migration(version: 1, name: "patients", sql: """
        CREATE TABLE patients (
            id                            bigserial PRIMARY KEY,
            first_name                    text NOT NULL,
            last_name                     text NOT NULL,
            middle_name                   text NULL,
            birth_date                    date NOT NULL,
            sex                           char(1) NOT NULL CHECK (sex IN ('M', 'F')),
            iin_cipher                    bytea NOT NULL,
            iin_hash                      bytea NOT NULL,
            phone_cipher                  bytea NOT NULL,
            phone_hash                    bytea NOT NULL,
            language                      text NOT NULL CHECK (language IN ('ru', 'kk')),
            consent_personal_data         boolean NOT NULL,
            consent_medical_intervention  boolean NOT NULL,
            consent_marketing             boolean NOT NULL DEFAULT false,
            consents_at                   timestamptz NOT NULL,
            osms_status                   text NULL,
            tags                          text[] NOT NULL DEFAULT '{}',
            created_at                    timestamptz NOT NULL DEFAULT now(),
            updated_at                    timestamptz NOT NULL DEFAULT now(),
            -- One card per person: concurrent registrations of one IIN collide here.
            CONSTRAINT \(patientsIINUnique) UNIQUE (iin_hash)
        );
        CREATE INDEX patients_phone_hash_idx ON patients (phone_hash);
        """)

    static let telegramLinks = Migration(version: 2, name: "patient_telegram_links", sql: """
        CREATE TABLE patient_telegram_links (
            id                 bigserial PRIMARY KEY,
            patient_id         bigint NOT NULL REFERENCES patients (id),
            telegram_user_id   bigint NOT NULL,
            telegram_username  text NULL,
            language           text NOT NULL CHECK (language IN ('ru', 'kk')),
            is_active          boolean NOT NULL DEFAULT true,
            linked_at          timestamptz NOT NULL DEFAULT now(),
            unlinked_at        timestamptz NULL,
            CHECK (is_active = (unlinked_at IS NULL))
        );
        -- A Telegram account speaks for one patient at a time, and a patient is reachable
        -- through one account at a time; old links stay for the audit trail.
        CREATE UNIQUE INDEX \(activeLinkPerUser) ON patient_telegram_links (telegram_user_id) WHERE is_active;
        CREATE UNIQUE INDEX \(activeLinkPerPatient) ON patient_telegram_links (patient_id) WHERE is_active;
        """)

    /// Whether the card's phone was proven: shared by its owner with Telegram's contact button,
    /// or written by the registry. Only a proven phone can prove a later link: a typed one
    /// could be anybody's.
    static let phoneVerified = Migration(version: 11, name: "patients_phone_verified", sql: """
        ALTER TABLE patients ADD COLUMN phone_verified boolean NOT NULL DEFAULT false;
        """)
}

extension PatientSchema {
    /// The patients' domain: cards, Telegram links, link codes, the consent ledger.
    static let migrations: [Migration] = [patients, telegramLinks, phoneVerified, LinkCodes.schema, ConsentLedger.schema]
}
