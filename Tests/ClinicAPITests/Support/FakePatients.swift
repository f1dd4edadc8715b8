@testable import ClinicPostgres
@testable import FlowActions
import ClinicAPI
import FlowEngine

/// Patients in memory, with the same rules as `PatientStore.upsert`: consents first, and an
/// IIN belongs to one Telegram account.
actor FakePatients: PatientDirectory {
    private var records: [Int64: PatientRecord] = [:]
    private var nextID: Int64 = 1
    /// Who each upsert was audited as.
    private(set) var actors: [AuditActor] = []
    var storageDown = false

    func failStorage() { storageDown = true }

    func upsert(_ draft: PatientDraft, actor: AuditActor) async throws -> PatientUpsertResult {
        if storageDown { throw FakeClinic.StorageDown() }
        actors.append(actor)
        guard draft.consents.requiredAreGiven else { return .consentRequired }
        if records.contains(where: { $0.key != draft.telegramUserID && $0.value.iin == draft.iin.digits }) { return .refused(.iinLinkedElsewhere) }
        let existing = records[draft.telegramUserID]
        let patientID = existing?.patientID ?? nextID
        if existing == nil { nextID += 1 }
        records[draft.telegramUserID] = PatientRecord(
            patientID: patientID, telegramLinkID: patientID + 500, firstName: draft.firstName.value,
            lastName: draft.lastName.value, middleName: draft.middleName?.value, language: draft.language.rawValue,
            birthDate: draft.birthDate.iso, sex: draft.sex.rawValue, iin: draft.iin.digits, phone: draft.phone.e164,
            consents: draft.consents, osmsStatus: nil, tags: [])
        return .saved(SavedPatient(patientID: patientID, telegramLinkID: patientID + 500, created: existing == nil, fullName: draft.fullName))
    }

    func byTelegram(_ telegramUserID: Int64, readBy actor: AuditActor, revealing: Bool) async throws -> PatientRecord? {
        if storageDown { throw FakeClinic.StorageDown() }
        reads.append((actor, revealing))
        return records[telegramUserID]
    }

    func issueLinkCode(iin: IIN, actor: AuditActor) async throws -> IssuedLinkCode? {
        if storageDown { throw FakeClinic.StorageDown() }
        guard records.values.contains(where: { $0.iin == iin.digits }) else { return nil }
        return IssuedLinkCode(code: "12345678", expiresAt: "2026-12-06T09:00:00Z")
    }

    /// Every read of a card: who, and whether in clear.
    private(set) var reads: [(actor: AuditActor, revealing: Bool)] = []
}
