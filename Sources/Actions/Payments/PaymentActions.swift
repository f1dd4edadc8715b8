import FlowEngine
import Foundation

/// `payments.get`: one of the patient's invoices (what the "payment received" message says).
public struct PaymentsGetAction: Action {
    public static let signature = ActionSignature(
        name: "payments.get",
        summary: "One of the patient's invoices: number, what for, amount_text (\"15 000 ₸\"), status",
        parameters: [.init("invoice_id", .int)],
        outcomes: ["ok", "not_found"],
        resultFields: InvoiceView.fields,
        // What a visit was for can be medical.
        personalResult: true)

    let store: PaymentStore
    let timeZone: TimeZone

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("invoice_id")
        guard let invoice = try await store.invoice(id: id, telegramUserID: context.telegramUserID) else {
            return ActionResult(outcome: "not_found")
        }
        return .ok(InvoiceView(timeZone: timeZone).invoice(invoice))
    }
}

/// An invoice as flows see it.
struct InvoiceView {
    let timeZone: TimeZone

    static let fields = ["id", "number", "description", "amount_text", "status", "paid", "date_text", "label"]

    func invoice(_ invoice: Invoice) -> Value {
        let day = CalendarText.shortDate(Moment.localParts(invoice.createdAt, timeZone).date)
        let amount = Money.format(tiyn: invoice.amountTiyn)
        return .map([
            "id": .int(Int(invoice.id)),
            "number": .string(invoice.number),
            "description": .string(invoice.description),
            "amount_text": .string(amount),
            "status": .string(invoice.status.rawValue),
            "paid": .bool(invoice.status == .paid),
            "date_text": .string(day),
            "label": .string("\(amount) · \(invoice.description)"),
        ])
    }
}

/// The payment actions, ready for an `ActionRegistry`.
public enum PaymentActions {
    public static let signatures = [PaymentsGetAction.signature]
    public static func all(store: PaymentStore, timeZone: TimeZone) -> [any Action] {
        [PaymentsGetAction(store: store, timeZone: timeZone)]
    }
}
