import FlowEngine

/// `patient.set_phone`: a new phone for the patient behind this Telegram user.
public struct PatientSetPhoneAction: Action {
    public static let signature = ActionSignature(
        name: "patient.set_phone",
        summary: "Change the patient's phone number",
        parameters: [.init("phone", .string)],
        outcomes: ["ok", "not_found"],
        resultFields: ["phone_masked"])

    let store: PatientStore
    public init(store: PatientStore) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let phone = try PhoneNumber(arguments["phone"]?.stringValue ?? "")
        let saved = try await store.setPhone(telegramUserID: context.telegramUserID, phone: phone, actor: .telegram(context.telegramUserID))
        return saved ? .ok(["phone_masked": .string(phone.masked)]) : ActionResult(outcome: "not_found")
    }
}

/// `patient.set_marketing`: whether the patient agrees to news, offers and health tips.
public struct PatientSetMarketingAction: Action {
    public static let signature = ActionSignature(
        name: "patient.set_marketing",
        summary: "Record the patient's marketing consent",
        parameters: [.init("consent", .bool)],
        outcomes: ["ok", "not_found"],
        resultFields: [])

    let store: PatientStore
    public init(store: PatientStore) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        guard case .bool(let consent)? = arguments["consent"] else { return .error }
        let saved = try await store.setMarketingConsent(telegramUserID: context.telegramUserID, consent: consent, actor: .telegram(context.telegramUserID))
        return ActionResult(outcome: saved ? "ok" : "not_found")
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

    let store: PatientStore
    public init(store: PatientStore) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let unlinked = try await store.unlink(telegramUserID: context.telegramUserID, actor: .telegram(context.telegramUserID))
        return ActionResult(outcome: unlinked ? "ok" : "not_found")
    }
}
