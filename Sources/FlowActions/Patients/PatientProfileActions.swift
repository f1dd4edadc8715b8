import ClinicContract
import FlowEngine

/// `patient.set_phone`: a new phone for the patient behind this Telegram user.
public struct PatientSetPhoneAction: Action {
    public static let signature = ActionSignature(
        name: "patient.set_phone",
        summary: "Change the patient's phone number",
        parameters: [.init("phone", .string)],
        outcomes: ["ok", "not_found"],
        resultFields: ["phone_masked"])

    let store: any PatientAccounts
    public init(store: any PatientAccounts) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let phone = try PhoneNumber(arguments["phone"]?.stringValue ?? "")
        let saved = try await store.setPhone(
            telegramUserID: context.telegramUserID, phone: phone, verified: context.sharedPhone == phone.e164,
            actor: .telegram(context.telegramUserID))
        return saved ? .ok(["phone_masked": .string(phone.masked)]) : ActionResult(outcome: "not_found")
    }
}

/// `patient.set_consent`: a consent given or withdrawn, with the text it was given to (write
/// `wording('locale.key')`), into the consent ledger. Withdrawing the personal-data or the
/// medical-intervention consent unlinks the account (`unlinked` in the result).
public struct PatientSetConsentAction: Action {
    public static let signature = ActionSignature(
        name: "patient.set_consent",
        summary: "Give or withdraw a consent, recorded with its text in the consent ledger",
        parameters: [.init("kind", .string), .init("granted", .bool), .init("text", .map)],
        outcomes: ["ok", "not_found"],
        resultFields: ["unlinked"])

    let store: any PatientAccounts
    public init(store: any PatientAccounts) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        guard let kind = ConsentKind(rawValue: try a.string("kind")) else {
            throw InvalidInput(field: "kind", reason: "must be personal_data, medical_intervention or marketing")
        }
        let event = ConsentEvent(
            kind: kind, granted: try a.bool("granted"),
            wording: try ConsentWording(shown: arguments["text"] ?? .null, language: context.locale), channel: .bot)
        guard let change = try await store.setConsent(telegramUserID: context.telegramUserID, event, actor: .telegram(context.telegramUserID)) else {
            return ActionResult(outcome: "not_found")
        }
        return .ok(["unlinked": .bool(change.unlinked)])
    }
}

/// `patient.unlink`: ends this Telegram account's link to the patient card (the card stays in
/// the clinic; registering again links it back).
public struct PatientUnlinkAction: Action {
    public static let signature = ActionSignature(
        name: "patient.unlink",
        summary: "Unlink this Telegram account from the patient card",
        parameters: [],
        outcomes: ["ok", "not_found"],
        resultFields: [])

    let store: any PatientAccounts
    public init(store: any PatientAccounts) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let unlinked = try await store.unlink(telegramUserID: context.telegramUserID, actor: .telegram(context.telegramUserID))
        return ActionResult(outcome: unlinked ? "ok" : "not_found")
    }
}
