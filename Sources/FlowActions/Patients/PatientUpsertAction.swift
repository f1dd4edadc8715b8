import ClinicContract
import FlowEngine

/// `patient.upsert`: registers the patient behind the Telegram user the flow runs for.
///
/// The Telegram user id and username come from the `ActionContext`, never from arguments, so
/// a flow cannot register someone on another account's behalf.
public struct PatientUpsertAction: Action {
    public static let signature = ActionSignature(
        name: "patient.upsert",
        summary: "Create or update the patient linked to this Telegram user; an existing card is linked only with proof",
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
            .init("consent_personal_data_text", .map),
            .init("consent_medical_intervention_text", .map),
            .init("consent_marketing_text", .map, required: false),
            // The registry's one-time code, when the person links a card the clinic has.
            .init("link_code", .string, required: false),
        ],
        outcomes: ["ok", "refused", "too_many_attempts", "consent_required"],
        resultFields: ["patient_id", "telegram_link_id", "created", "full_name"],
        personalResult: true)

    let store: any PatientAccounts

    public init(store: any PatientAccounts) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        // The texts the answers were given to, as `wording('key')` gave them in the person's language.
        var wordings: [ConsentKind: ConsentWording] = [:]
        for kind in ConsentKind.allCases {
            if let shown = arguments["consent_\(kind.rawValue)_text"], shown != .null {
                wordings[kind] = try ConsentWording(shown: shown, language: context.locale)
            }
        }
        let consents = PatientConsents(
            personalData: try a.bool("consent_personal_data"),
            medicalIntervention: try a.bool("consent_medical_intervention"),
            marketing: try a.optionalBool("consent_marketing") ?? false,
            wordings: wordings, channel: .bot)
        // Parsed again here although the flow checked its inputs: this is a trust boundary.
        let draft = try PatientDraft(
            telegramUserID: context.telegramUserID, telegramUsername: context.telegramUsername,
            language: try a.string("language"), firstName: try a.string("first_name"),
            lastName: try a.string("last_name"), middleName: try a.optionalString("middle_name"),
            phone: try a.string("phone"), birthDate: try a.string("birth_date"), sex: try a.string("sex"),
            iin: try a.string("iin"), consents: consents)

        // The proof for linking an existing card comes from the engine (the person's own contact),
        // never from the flow's arguments.
        let authority = LinkAuthority.patient(sharedPhone: context.sharedPhone, linkCode: try a.optionalString("link_code"))
        switch try await store.upsert(draft, actor: .telegram(context.telegramUserID), authority: authority) {
        case .saved(let patient):
            return .ok([
                "patient_id": .int(Int(patient.patientID)),
                "telegram_link_id": .int(Int(patient.telegramLinkID)),
                "created": .bool(patient.created),
                "full_name": .string(patient.fullName),
            ])
        case .refused:
            // One outcome for every reason: the words must not tell whether the IIN is a patient here.
            return ActionResult(outcome: "refused")
        case .tooManyAttempts:
            return ActionResult(outcome: "too_many_attempts")
        case .consentRequired:
            return ActionResult(outcome: "consent_required")
        }
    }
}
