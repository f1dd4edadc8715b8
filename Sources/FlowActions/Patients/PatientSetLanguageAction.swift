import ClinicContract
import FlowEngine

/// `patient.set_language`: the language a registered patient switched to, kept on their card so
/// every later message (and a new device) uses it.
public struct PatientSetLanguageAction: Action {
    public static let signature = ActionSignature(
        name: "patient.set_language",
        summary: "Save the patient's chosen language",
        parameters: [.init("language", .string)],
        outcomes: ["ok", "not_found"],
        resultFields: [])

    let store: any PatientAccounts

    public init(store: any PatientAccounts) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let language = try Language(checking: arguments["language"]?.stringValue ?? "")
        let saved = try await store.setLanguage(
            telegramUserID: context.telegramUserID, language: language, actor: .telegram(context.telegramUserID))
        return ActionResult(outcome: saved ? "ok" : "not_found")
    }
}
