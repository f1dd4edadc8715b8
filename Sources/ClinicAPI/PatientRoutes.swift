import ClinicContract
import FlowEngine
import Hummingbird

extension APIHandlers {
    /// 201 when a patient card was created, 200 when an existing one was updated or linked.
    func upsertPatient(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(PatientUpsertBody.self, from: request)
        switch try await patients.upsert(try body.draft(), actor: .api) {
        case .saved(let saved):
            return try APIResponse.json(PatientUpsertAnswer(saved), status: saved.created ? .created : .ok)
        case .refused, .tooManyAttempts:
            // The API speaks for the registry: no proof is asked and no attempt counted, so the
            // one refusal it meets is an IIN linked to another account.
            throw APIError.iinTaken
        case .consentRequired:
            throw APIError.consentRequired
        }
    }

    /// 201 with a one-time code the desk reads out to the patient, who types it in the bot to
    /// link a card they cannot prove by phone.
    func issueLinkCode(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(LinkCodeBody.self, from: request)
        let iin = try IIN(checking: body.iin)
        guard let issued = try await patients.issueLinkCode(iin: iin, actor: .api) else { throw APIError.patientNotFound }
        return try APIResponse.json(LinkCodeAnswer(code: issued.code, expiresAt: issued.expiresAt), status: .created)
    }

    func verifyIIN(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(IINVerificationBody.self, from: request)
        return try APIResponse.json(IINVerification(body))
    }

    /// The card with the IIN and phone masked, unless `reveal=true` asks for them in clear;
    /// either way the read is audited.
    func patient(telegramUserID: Int64, _ query: QueryParameters) async throws -> Response {
        let reveal = try query.optionalBool("reveal") ?? false
        guard let record = try await patients.byTelegram(telegramUserID, readBy: .api, revealing: reveal) else {
            throw APIError.patientNotFound
        }
        return try APIResponse.json(PatientAnswer(record: record, revealing: reveal))
    }
}
