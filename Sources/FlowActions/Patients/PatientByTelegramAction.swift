import ClinicContract
import FlowEngine

/// `patient.by_telegram`: the patient linked to the Telegram user the flow runs for.
///
/// Answers masked IIN and phone only: whatever a flow saves may end up in a message.
public struct PatientByTelegramAction: Action {
    public static let signature = ActionSignature(
        name: "patient.by_telegram",
        summary: "The patient linked to this Telegram user",
        parameters: [],
        outcomes: ["ok", "not_found"],
        resultFields: [
            "patient_id", "first_name", "last_name", "middle_name", "full_name", "language", "birth_date", "sex",
            "iin_masked", "phone_masked", "consent_marketing",
        ],
        personalResult: true)

    let store: any PatientAccounts

    public init(store: any PatientAccounts) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        guard let patient = try await store.byTelegram(context.telegramUserID) else {
            return ActionResult(outcome: "not_found")
        }
        return .ok([
            "patient_id": .int(Int(patient.patientID)),
            "first_name": .string(patient.firstName),
            "last_name": .string(patient.lastName),
            "middle_name": patient.middleName.map(Value.string) ?? .null,
            "full_name": .string(patient.fullName),
            "language": .string(patient.language),
            "birth_date": .string(patient.birthDate),
            "sex": .string(patient.sex),
            "iin_masked": .string(patient.iinMasked),
            "phone_masked": .string(patient.phoneMasked),
            "consent_marketing": .bool(patient.consents.marketing),
        ])
    }
}
