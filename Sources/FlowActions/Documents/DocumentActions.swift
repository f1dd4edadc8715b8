import ClinicContract
import FlowEngine
import Foundation

/// `documents.list`: the patient's documents, newest first, of one kind or all.
public struct DocumentsListAction: Action {
    public static let signature = ActionSignature(
        name: "documents.list",
        summary: "The patient's documents, newest first (kind: referral, prescription, analysis, certificate, tax_deduction; none: all)",
        parameters: [.init("kind", .string, required: false)],
        outcomes: ["ok", "patient_not_found"],
        resultFields: ["items", "count"],
        personalResult: true)

    /// A chat pages through these; older ones are at the registry.
    static let limit = 50

    let store: any DocumentShelf
    let timeZone: TimeZone

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        // "all" (or nothing): every kind.
        let kindName = try ActionArguments(arguments).optionalString("kind").flatMap { $0.isEmpty || $0 == "all" ? nil : $0 }
        let kind = try kindName.map { name in
            guard let kind = DocumentKind(rawValue: name) else { throw InvalidInput(field: "kind", reason: "is not a kind of document") }
            return kind
        }
        guard let page = try await store.list(telegramUserID: context.telegramUserID, kind: kind, limit: Self.limit, offset: 0) else {
            return ActionResult(outcome: "patient_not_found")
        }
        let view = DocumentView(timeZone: timeZone)
        return .ok(["items": .list(page.items.map(view.document)), "count": .int(page.items.count)])
    }
}

/// `documents.get`: one of the patient's documents, without its file (what a result's message says).
public struct DocumentsGetAction: Action {
    public static let signature = ActionSignature(
        name: "documents.get",
        summary: "One of the patient's documents, without its file",
        parameters: [.init("document_id", .int)],
        outcomes: ["ok", "not_found"],
        resultFields: DocumentView.fields,
        personalResult: true)

    let store: any DocumentShelf
    let timeZone: TimeZone

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("document_id")
        guard let document = try await store.summary(documentID: id, telegramUserID: context.telegramUserID) else {
            return ActionResult(outcome: "not_found")
        }
        return .ok(DocumentView(timeZone: timeZone).document(document))
    }
}

/// `documents.file`: the PDF of one of the patient's documents, for `say … file:`.
public struct DocumentsFileAction: Action {
    public static let signature = ActionSignature(
        name: "documents.file",
        summary: "The file of one of the patient's documents ({name, mime_type, base64}); removed: it expired",
        parameters: [.init("document_id", .int)],
        outcomes: ["ok", "removed", "not_found"],
        resultFields: ["file"],
        personalResult: true,
        // The set that sends documents is the one the server words new ones with.
        texts: DocumentKind.texts)

    let store: any DocumentShelf

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("document_id")
        switch try await store.file(documentID: id, telegramUserID: context.telegramUserID, actor: .telegram(context.telegramUserID)) {
        case .file(let name, let bytes):
            return .ok(["file": .map([
                "name": .string(name), "mime_type": .string("application/pdf"), "base64": .string(Data(bytes).base64EncodedString()),
            ])])
        case .removed:
            return ActionResult(outcome: "removed")
        case .notFound:
            return ActionResult(outcome: "not_found")
        }
    }
}

/// A document as flows show it: ids to pass back and labels in the clinic's time zone.
struct DocumentView {
    let timeZone: TimeZone

    static let fields = ["id", "number", "kind", "title", "date_text", "available", "label"]

    func document(_ document: DocumentSummary) -> Value {
        let day = Moment.localParts(document.createdAt, timeZone).date
        let date = CalendarText.shortDate(day)
        return .map([
            "id": .int(Int(document.id)),
            "number": .string(document.number),
            "kind": .string(document.kind.rawValue),
            "title": .string(document.title),
            "date_text": .string(date),
            "available": .bool(document.available),
            // A button: "05.12.2026 · Результат анализа", the date first so a list reads in order.
            "label": .string("\(date) · \(document.title)"),
        ])
    }
}

/// The document actions, ready for an `ActionRegistry`.
public enum DocumentActions {
    public static let signatures = [DocumentsListAction.signature, DocumentsGetAction.signature, DocumentsFileAction.signature]
    public static func all(store: any DocumentShelf, timeZone: TimeZone) -> [any Action] {
        [DocumentsListAction(store: store, timeZone: timeZone), DocumentsGetAction(store: store, timeZone: timeZone), DocumentsFileAction(store: store)]
    }
}
