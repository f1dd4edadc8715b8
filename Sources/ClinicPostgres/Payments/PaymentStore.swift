import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Invoices and payments on PostgreSQL (`PaymentSchema`). Every write is audited in its own
/// transaction; a payment is recorded at most once however its callbacks arrive.
public struct PaymentStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The flow that tells the patient their payment arrived.
    public static let receivedFlow = "payment_received"

    public init(client: PostgresClient, logger: Logger = Logger(label: "clinic-bot.payments")) {
        self.client = client
        self.logger = logger
    }

    /// A new unpaid invoice for the patient linked to `telegramUserID`; nil when none is. An
    /// appointment named must be that patient's (`PaymentRefusal.appointmentNotFound`).
    public func createInvoice(_ request: InvoiceRequest, telegramUserID: Int64, provider: String, actor: AuditActor) async throws -> Invoice? {
        let reference = InvoiceReference.make()
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let owners = try await connection.query("""
                    SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = \(telegramUserID) AND is_active
                    """, logger: logger).collect()
                guard let patientID = try owners.first?.decode(Int64.self) else { return nil }
                if let appointmentID = request.appointmentID {
                    let owned = try await connection.query("""
                        SELECT 1 FROM appointments WHERE id = \(appointmentID) AND patient_id = \(patientID)
                        """, logger: logger).collect()
                    guard !owned.isEmpty else { throw PaymentRefusal.appointmentNotFound }
                }
                return try await insertInvoice(request, patientID: patientID, provider: provider, reference: reference, actor: actor, on: connection)
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    /// The invoice that prepays a visit held for the patient linked to `telegramUserID`: the
    /// visit's price, until the hold ends, described by the service's name in `language`. The
    /// same invoice again if it exists (a flow asked twice).
    public func prepaymentInvoice(appointmentID: Int64, telegramUserID: Int64, language: Language, provider: String,
                                  actor: AuditActor) async throws -> PrepaymentInvoice {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let held = try await connection.query("""
                    SELECT a.patient_id, a.price_tenge, a.hold_until, s.name_ru, s.name_kk, a.status = 'held' AND a.hold_until > now()
                    FROM appointments a
                    JOIN patient_telegram_links l ON l.patient_id = a.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
                    JOIN services s ON s.id = a.service_id
                    WHERE a.id = \(appointmentID)
                    FOR UPDATE OF a
                    """, logger: logger).collect()
                guard let row = held.first else { return .notFound }
                let (patientID, price, holdUntil, nameRU, nameKK, holding) = try row.decode((Int64, Int, Date?, String, String, Bool).self)
                let existing = try await connection.query("""
                    SELECT \(unescaped: Self.columns) FROM bot_invoices i
                    WHERE i.appointment_id = \(appointmentID) AND i.status IN ('unpaid', 'paid') ORDER BY i.id DESC LIMIT 1
                    """, logger: logger).collect()
                if let invoice = try existing.first.map({ try Self.invoice($0) }) {
                    return invoice.status == .paid ? .paid(invoice) : holding ? .invoice(invoice) : .expired
                }
                guard holding, let holdUntil else { return .expired }
                let request = InvoiceRequest(amountTiyn: Tiyn(price) * 100, description: language == .kk ? nameKK : nameRU,
                                             appointmentID: appointmentID, expires: holdUntil)
                return .invoice(try await insertInvoice(request, patientID: patientID, provider: provider, reference: InvoiceReference.make(),
                                                        actor: actor, on: connection))
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    private func insertInvoice(_ request: InvoiceRequest, patientID: Int64, provider: String, reference: String, actor: AuditActor,
                               on connection: PostgresConnection) async throws -> Invoice {
        let rows = try await connection.query("""
            WITH number AS (SELECT nextval('bot_invoices_id_seq') AS n)
            INSERT INTO bot_invoices AS i (id, number, patient_id, appointment_id, description, amount_tiyn, provider, reference, expires_at)
            SELECT number.n, to_char(now() AT TIME ZONE 'Asia/Almaty', 'YYYY') || '-' || lpad(number.n::text, 6, '0'),
                   \(patientID), \(request.appointmentID), \(request.description), \(request.amountTiyn), \(provider), \(reference), \(request.expires)
            FROM number
            RETURNING \(unescaped: Self.columns)
            """, logger: logger).collect()
        let invoice = try Self.invoice(rows[0])
        try await AuditLog.record(
            AuditEntry(actor: actor, action: "invoice.create", objectType: "invoice", objectID: String(invoice.id),
                       details: ["patient_id": .int(Int(invoice.patientID)), "amount_tiyn": .int(Int(invoice.amountTiyn)),
                                 "provider": .string(provider), "appointment_id": invoice.appointmentID.map { .int(Int($0)) } ?? .null]),
            on: connection, logger: logger)
        return invoice
    }

    /// Gives back the held visits whose prepayment did not come in time (`PrepaidVisits`).
    @discardableResult
    public func releaseExpiredHolds() async throws -> Int {
        try await PrepaidVisits.releaseExpired(client: client, logger: logger)
    }

    /// Any invoice, for the staff and the API.
    public func invoice(id: Int64) async throws -> Invoice? {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM bot_invoices i WHERE i.id = \(id)", logger: logger).collect()
        return try rows.first.map { try Self.invoice($0) }
    }

    /// The invoice a provider names, before a payment is shown to it (Telegram's pre-checkout).
    public func invoice(reference: String) async throws -> Invoice? {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM bot_invoices i WHERE i.reference = \(reference)", logger: logger).collect()
        return try rows.first.map { try Self.invoice($0) }
    }

    /// One invoice of the patient linked to `telegramUserID`; nil when it is not theirs.
    public func invoice(id: Int64, telegramUserID: Int64) async throws -> Invoice? {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM bot_invoices i
            JOIN patient_telegram_links l ON l.patient_id = i.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
            WHERE i.id = \(id)
            """, logger: logger).collect()
        return try rows.first.map { try Self.invoice($0) }
    }

    /// The patient's invoices, newest first, optionally of one status; nil when no patient is
    /// linked to `telegramUserID`.
    public func invoices(telegramUserID: Int64, status: InvoiceStatus? = nil, limit: Int = 20) async throws -> [Invoice]? {
        guard try await patientID(telegramUserID: telegramUserID) != nil else { return nil }
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM bot_invoices i
            JOIN patient_telegram_links l ON l.patient_id = i.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
            WHERE (\(status?.rawValue)::text IS NULL OR i.status = \(status?.rawValue))
            ORDER BY i.created_at DESC, i.id DESC
            LIMIT \(limit)
            """, logger: logger).collect()
        return try rows.map { try Self.invoice($0) }
    }

    /// What the patient owes and has paid; nil when no patient is linked to `telegramUserID`.
    public func balance(telegramUserID: Int64) async throws -> PaymentBalance? {
        let rows = try await client.query("""
            SELECT coalesce(sum(i.amount_tiyn) FILTER (WHERE i.status = 'unpaid' AND (i.expires_at IS NULL OR i.expires_at > now())), 0)::int8,
                   coalesce(sum(i.amount_tiyn) FILTER (WHERE i.status = 'paid'), 0)::int8,
                   coalesce(sum(i.amount_tiyn) FILTER (WHERE i.status = 'paid' AND i.refund_requested_at IS NOT NULL), 0)::int8,
                   count(*) FILTER (WHERE i.status = 'unpaid' AND (i.expires_at IS NULL OR i.expires_at > now()))::int
            FROM patient_telegram_links l
            LEFT JOIN bot_invoices i ON i.patient_id = l.patient_id
            WHERE l.telegram_user_id = \(telegramUserID) AND l.is_active
            GROUP BY l.patient_id
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (due, paid, refund, count) = try row.decode((Int64, Int64, Int64, Int).self)
        return PaymentBalance(dueTiyn: due, paidTiyn: paid, refundPendingTiyn: refund, unpaidInvoices: count)
    }

    private func patientID(telegramUserID: Int64) async throws -> Int64? {
        let rows = try await client.query("""
            SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = \(telegramUserID) AND is_active
            """, logger: logger).collect()
        return try rows.first?.decode(Int64.self)
    }

    static let columns = """
        i.id, i.number, i.patient_id, i.appointment_id, i.description, i.amount_tiyn, i.currency, i.provider, i.reference,
        i.status, i.created_at, i.expires_at, i.paid_at, i.refund_requested_at IS NOT NULL
        """

    /// The invoice in `columns`' order, starting at cell `first`.
    static func invoice(_ row: PostgresRow, from first: Int = 0) throws -> Invoice {
        let cells = row.makeRandomAccess()
        func cell(_ index: Int) -> PostgresCell { cells[first + index] }
        return Invoice(
            id: try cell(0).decode(Int64.self), number: try cell(1).decode(String.self), patientID: try cell(2).decode(Int64.self),
            appointmentID: try cell(3).decode(Int64?.self), description: try cell(4).decode(String.self),
            amountTiyn: try cell(5).decode(Int64.self), currency: try cell(6).decode(String.self), provider: try cell(7).decode(String.self),
            status: InvoiceStatus(rawValue: try cell(9).decode(String.self)) ?? .unpaid, createdAt: try cell(10).decode(Date.self),
            expiresAt: try cell(11).decode(Date?.self), paidAt: try cell(12).decode(Date?.self), refundRequested: try cell(13).decode(Bool.self),
            reference: try cell(8).decode(String.self))
    }
}

/// The name a provider knows an invoice by: 128 random bits, base64url. Telegram's invoice
/// payload and a bank's order id are both at most 128 bytes; this is 22.
enum InvoiceReference {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
