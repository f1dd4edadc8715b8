import FlowEngine

/// `patient.upsert`: registers the patient behind the Telegram user the flow runs for.
///
/// The Telegram user id and username come from the `ActionContext`, never from arguments, so
/// a flow cannot register someone on another account's behalf.
public struct PatientUpsertAction: Action {
    public static let signature = ActionSignature(
        name: "patient.upsert",
        summary: "Create or update the patient linked to this Telegram user",
        parameters: [
            .init("language", .string),
            .init("first_name", .string),
            .init("last_name", .string),
            .init("middle_name", .string, required: false),
            .init("phone", .string),
            .init("birth_date", .date),
            .init("sex", .string),
            .init("iin", .string),
            .init("consent_personal_data", .bool),
            .init("consent_medical_intervention", .bool),
            .init("consent_marketing", .bool, required: false),
        ],
        outcomes: ["ok", "iin_taken", "consent_required"],
        resultFields: ["patient_id", "telegram_link_id", "created", "full_name"])

    let store: PatientStore

    public init(store: PatientStore) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        let consents = PatientConsents(
            personalData: try a.bool("consent_personal_data"),
            medicalIntervention: try a.bool("consent_medical_intervention"),
            marketing: try a.optionalBool("consent_marketing") ?? false)
        // Parsed again here although the flow checked its inputs: this is a trust boundary.
        let draft = try PatientDraft(
            telegramUserID: context.telegramUserID, telegramUsername: context.telegramUsername,
            language: try a.string("language"), firstName: try a.string("first_name"),
            lastName: try a.string("last_name"), middleName: try a.optionalString("middle_name"),
            phone: try a.string("phone"), birthDate: try a.string("birth_date"), sex: try a.string("sex"),
            iin: try a.string("iin"), consents: consents)

        switch try await store.upsert(draft, actor: .telegram(context.telegramUserID)) {
        case .saved(let patient):
            return .ok([
                "patient_id": .int(Int(patient.patientID)),
                "telegram_link_id": .int(Int(patient.telegramLinkID)),
                "created": .bool(patient.created),
                "full_name": .string(patient.fullName),
            ])
        case .iinTaken:
            return ActionResult(outcome: "iin_taken")
        case .consentRequired:
            return ActionResult(outcome: "consent_required")
        }
    }
}
