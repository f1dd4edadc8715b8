import FlowEngine
import PostgresNIO

extension PatientStore {
    /// Registrations an account may attempt in a day — refused, creating a card or linking one —
    /// before registration stops answering it: enough for typos, too few to try IINs one after
    /// another (a new card for an IIN says as much as a refusal does: that it was not on file).
    public static let attemptsPerDay = 5

    /// Registers or re-registers the patient behind `draft.telegramUserID`.
    ///
    /// - The Telegram user already has an active link: that patient is updated; an IIN that
    ///   belongs to another patient is refused.
    /// - Else a patient with this IIN exists: refused if another Telegram user is linked to
    ///   them (never a silent second card); otherwise linked only on `authority`'s word — the
    ///   registry's, or the person's own contact whose number is the card's — and the card's
    ///   identity (names, birth date, sex, IIN, phone) stays as the clinic recorded it.
    /// - Else a patient and a link are created.
    ///
    /// Every answer's consents go to the consent ledger. A Telegram account refused
    /// `attemptsPerDay` times in a day gets `.tooManyAttempts` until the day has passed.
    ///
    /// Two registrations of one IIN racing each other meet at the unique index on `iin_hash`
    /// (or on the patient's active link): the loser is refused, unless both came from
    /// the same Telegram account.
    public func upsert(_ draft: PatientDraft, actor: AuditActor, authority: LinkAuthority) async throws -> PatientUpsertResult {
        guard draft.consents.requiredAreGiven else { return .consentRequired }
        try draft.consents.checkWordings()
        let sealed = try SealedPatientPII(draft: draft, cipher: cipher)
        // A unique violation means a concurrent registration committed first (PostgreSQL makes
        // the loser wait for the winner's commit). Running again sees the winner's rows and
        // answers properly: update through the link when the winner was this same Telegram
        // account, refused when it was another.
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await upsert(draft, sealed: sealed, authority: authority, actor: actor, on: connection)
                }
            } catch where PatientSchema.uniqueIndexes.contains(where: { PostgresErrors.isUniqueViolation(error, of: $0) }) {
                if attempt < 5 { continue }
                try await client.withTransaction(logger: logger) { connection in
                    try await recordRefusal(.iinLinkedElsewhere, actor: actor, patientID: nil, telegramUserID: draft.telegramUserID, on: connection)
                }
                return .refused(.iinLinkedElsewhere)
            } catch {
                throw PostgresErrors.bodyError(of: error)
            }
        }
    }

    /// `upsert` on the authority `actor` has: a Telegram account's own word proves nothing
    /// (`.patient` without a shared phone); the API and the clinic's jobs speak for the registry.
    public func upsert(_ draft: PatientDraft, actor: AuditActor) async throws -> PatientUpsertResult {
        try await upsert(draft, actor: actor, authority: Self.authority(of: actor))
    }

    /// `upsert` inside the caller's transaction, for a job that writes many things at once (the
    /// demo clinic, on the registry's authority). No retry: a concurrent registration of the
    /// same IIN fails the whole transaction.
    func upsert(_ draft: PatientDraft, actor: AuditActor, on connection: PostgresConnection) async throws -> PatientUpsertResult {
        guard draft.consents.requiredAreGiven else { return .consentRequired }
        try draft.consents.checkWordings()
        return try await upsert(
            draft, sealed: try SealedPatientPII(draft: draft, cipher: cipher), authority: .registry, actor: actor, on: connection)
    }

    /// A person writing to the bot links a card only with proof; the API and the clinic's own
    /// jobs speak for the registry.
    static func authority(of actor: AuditActor) -> LinkAuthority {
        actor.text.hasPrefix("telegram:") ? .patient(sharedPhone: nil, linkCode: nil) : .registry
    }

    /// An advisory-lock key from the IIN's lookup hash (its first 8 bytes).
    static func lockKey(_ hash: ByteBuffer) -> Int64 {
        var key: Int64 = 0
        for byte in hash.readableBytesView.prefix(8) { key = (key << 8) | Int64(byte) }
        return key
    }

    /// An advisory-lock key for a Telegram account, in a range the IIN keys avoid only by chance
    /// (a collision would merely make two unrelated registrations take turns).
    static func lockKey(telegramUserID: Int64) -> Int64 { telegramUserID ^ 0x5445_4C45_4752_414D }

    private func upsert(
        _ draft: PatientDraft, sealed: SealedPatientPII, authority: LinkAuthority, actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> PatientUpsertResult {
        // Registrations of one IIN or from one Telegram account take turns: two advisory locks,
        // always in ascending order so two racers cannot deadlock. The unique indexes remain the
        // backstop for anything that slips past (an API client writing directly).
        let keys = [Self.lockKey(sealed.iinHash), Self.lockKey(telegramUserID: draft.telegramUserID)].sorted()
        try await connection.query("SELECT pg_advisory_xact_lock(\(keys[0])), pg_advisory_xact_lock(\(keys[1]))", logger: logger)
        // Counted under the account's lock, so parallel attempts cannot slip past the limit.
        if case .patient = authority, try await attemptsToday(actor: actor, on: connection) >= Self.attemptsPerDay {
            return .tooManyAttempts
        }
        // A phone is proven when the registry wrote it or its owner shared it as their contact.
        let phoneVerified: Bool
        switch authority {
        case .registry: phoneVerified = true
        case .patient(let sharedPhone, _): phoneVerified = sharedPhone == draft.phone.e164
        }
        let link = try await connection.query("""
            SELECT id, patient_id FROM patient_telegram_links
            WHERE telegram_user_id = \(draft.telegramUserID) AND is_active FOR UPDATE
            """, logger: logger).collect().first.map { try $0.decode((Int64, Int64).self) }
        let owner = try await StoredPatient.byIINHash(sealed.iinHash, on: connection, logger: logger)

        if case let (linkID, patientID)? = link {
            if let owner, owner.id != patientID {
                try await recordRefusal(.iinLinkedElsewhere, actor: actor, patientID: owner.id, telegramUserID: draft.telegramUserID, on: connection)
                return .refused(.iinLinkedElsewhere)
            }
            let before: StoredPatient
            if let owner { before = owner } else { before = try await StoredPatient.byID(patientID, on: connection, logger: logger) }
            try await updatePatient(patientID, to: draft, sealed: sealed, phoneVerified: phoneVerified, on: connection)
            try await connection.query("""
                UPDATE patient_telegram_links
                SET telegram_username = \(draft.telegramUsername), language = \(draft.language.rawValue)
                WHERE id = \(linkID)
                """, logger: logger)
            return try await saved(
                patientID, linkID: linkID, created: false, action: "patient.update", fullName: draft.fullName,
                details: ["changed": .list(before.changedFields(comparedTo: draft, sealed: sealed).map { .string($0) })],
                draft: draft, actor: actor, on: connection)
        }

        if let owner {
            let linked = try await connection.query("""
                SELECT 1 FROM patient_telegram_links WHERE patient_id = \(owner.id) AND is_active
                """, logger: logger).collect()
            if !linked.isEmpty {
                try await recordRefusal(.iinLinkedElsewhere, actor: actor, patientID: owner.id, telegramUserID: draft.telegramUserID, on: connection)
                return .refused(.iinLinkedElsewhere)
            }
            let method: String
            switch authority {
            case .registry:
                method = "registry"
            case .patient(let sharedPhone, let linkCode):
                // The proof: the person's own number, shared through Telegram, is the card's; or
                // the registry's one-time code for this card.
                // Only a proven phone on the card proves anything: a typed one could be anybody's.
                if let sharedPhone, owner.phoneVerified,
                   constantTimeEquals(cipher.lookupHash(kind: .phone, value: sharedPhone), owner.phoneHash) {
                    method = "shared_contact"
                } else if let linkCode,
                          try await useLinkCode(linkCode, patientID: owner.id, telegramUserID: draft.telegramUserID, on: connection) {
                    method = "registry_code"
                } else {
                    try await recordRefusal(.noProof, actor: actor, patientID: owner.id, telegramUserID: draft.telegramUserID, on: connection)
                    return .refused(.noProof)
                }
            }
            // The card keeps the identity the clinic recorded; only the language is the person's choice.
            try await connection.query(
                "UPDATE patients SET language = \(draft.language.rawValue), updated_at = now() WHERE id = \(owner.id)",
                logger: logger)
            let linkID = try await insertLink(owner.id, draft: draft, on: connection)
            return try await saved(
                owner.id, linkID: linkID, created: false, action: "patient.link", fullName: owner.fullName,
                details: ["method": .string(method)], draft: draft, actor: actor, on: connection)
        }

        let patientID = try await insertPatient(draft, sealed: sealed, phoneVerified: phoneVerified, on: connection)
        let linkID = try await insertLink(patientID, draft: draft, on: connection)
        return try await saved(
            patientID, linkID: linkID, created: true, action: "patient.create", fullName: draft.fullName, details: [:],
            draft: draft, actor: actor, on: connection)
    }

    /// How many registrations this actor attempted in the last 24 hours (refused, created, linked).
    private func attemptsToday(actor: AuditActor, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("""
            SELECT count(*) FROM bot_audit
            WHERE actor = \(actor.text) AND action IN ('patient.upsert_refused', 'patient.create', 'patient.link')
              AND at > now() - interval '1 day'
            """, logger: logger).collect()
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    private func insertPatient(
        _ draft: PatientDraft, sealed: SealedPatientPII, phoneVerified: Bool, on connection: PostgresConnection
    ) async throws -> Int64 {
        // The consents start false: the ledger sets them (`ConsentLedger.record`).
        let rows = try await connection.query("""
            INSERT INTO patients (
                first_name, last_name, middle_name, birth_date, sex,
                iin_cipher, iin_hash, phone_cipher, phone_hash, language,
                consent_personal_data, consent_medical_intervention, consent_marketing, consents_at, phone_verified)
            VALUES (
                \(draft.firstName.text), \(draft.lastName.text), \(draft.middleName?.text), \(draft.birthDate.description)::date,
                \(draft.sex.rawValue), \(sealed.iinCipher), \(sealed.iinHash), \(sealed.phoneCipher), \(sealed.phoneHash),
                \(draft.language.rawValue), false, false, false, now(), \(phoneVerified))
            RETURNING id
            """, logger: logger).collect()
        return try rows[0].decode(Int64.self)
    }

    private func updatePatient(
        _ id: Int64, to draft: PatientDraft, sealed: SealedPatientPII, phoneVerified: Bool, on connection: PostgresConnection
    ) async throws {
        try await connection.query("""
            UPDATE patients SET
                first_name = \(draft.firstName.text), last_name = \(draft.lastName.text),
                middle_name = \(draft.middleName?.text), birth_date = \(draft.birthDate.description)::date,
                sex = \(draft.sex.rawValue), iin_cipher = \(sealed.iinCipher), iin_hash = \(sealed.iinHash),
                phone_cipher = \(sealed.phoneCipher), phone_hash = \(sealed.phoneHash), language = \(draft.language.rawValue),
                phone_verified = \(phoneVerified), updated_at = now()
            WHERE id = \(id)
            """, logger: logger)
    }

    private func insertLink(_ patientID: Int64, draft: PatientDraft, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO patient_telegram_links (patient_id, telegram_user_id, telegram_username, language)
            VALUES (\(patientID), \(draft.telegramUserID), \(draft.telegramUsername), \(draft.language.rawValue))
            RETURNING id
            """, logger: logger).collect()
        return try rows[0].decode(Int64.self)
    }

    private func saved(
        _ patientID: Int64, linkID: Int64, created: Bool, action: String, fullName: String, details extra: [String: Value],
        draft: PatientDraft, actor: AuditActor, on connection: PostgresConnection
    ) async throws -> PatientUpsertResult {
        try await ConsentLedger.record(draft.consents.events, patientID: patientID, actor: actor, on: connection, logger: logger)
        var details: [String: Value] = [
            "telegram_link_id": .int(Int(linkID)),
            "created": .bool(created),
            "language": .string(draft.language.rawValue),
            "consent_marketing": .bool(draft.consents.marketing),
        ]
        details.merge(extra) { _, new in new }
        try await AuditLog.record(
            AuditEntry(actor: actor, action: action, objectType: "patient", objectID: String(patientID), details: details),
            on: connection, logger: logger)
        return .saved(SavedPatient(patientID: patientID, telegramLinkID: linkID, created: created, fullName: fullName))
    }

    /// Refusals are audited too: they are what the daily attempt limit counts, and how someone
    /// trying other people's IINs shows up.
    private func recordRefusal(
        _ reason: PatientRefusal, actor: AuditActor, patientID: Int64?, telegramUserID: Int64, on connection: PostgresConnection
    ) async throws {
        try await AuditLog.record(
            AuditEntry(
                actor: actor, action: "patient.upsert_refused", objectType: "patient", objectID: patientID.map { String($0) },
                details: ["reason": .string(reason.rawValue), "telegram_user_id": .string(String(telegramUserID))]),
            on: connection, logger: logger)
    }
}

/// A draft's IIN and phone as they are stored: sealed, and hashed for lookups.
struct SealedPatientPII: Sendable {
    let iinCipher: ByteBuffer
    let iinHash: ByteBuffer
    let phoneCipher: ByteBuffer
    let phoneHash: ByteBuffer
    let iinHashBytes: [UInt8]
    let phoneHashBytes: [UInt8]

    init(draft: PatientDraft, cipher: PIICipher) throws {
        iinHashBytes = cipher.lookupHash(kind: .iin, value: draft.iin.digits)
        phoneHashBytes = cipher.lookupHash(kind: .phone, value: draft.phone.e164)
        iinCipher = ByteBuffer(sealed: try cipher.seal(draft.iin.digits))
        phoneCipher = ByteBuffer(sealed: try cipher.seal(draft.phone.e164))
        iinHash = ByteBuffer(sealed: iinHashBytes)
        phoneHash = ByteBuffer(sealed: phoneHashBytes)
    }
}
