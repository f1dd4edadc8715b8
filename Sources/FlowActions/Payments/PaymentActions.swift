import ClinicContract
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

    let desk: any PaymentDesk
    let timeZone: TimeZone

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("invoice_id")
        guard let invoice = try await desk.invoice(id: id, telegramUserID: context.telegramUserID) else {
            return ActionResult(outcome: "not_found")
        }
        return .ok(InvoiceView(timeZone: timeZone).invoice(invoice))
    }
}

/// An invoice as flows see it.
struct InvoiceView {
    let timeZone: TimeZone

    static let fields = ["id", "number", "description", "amount_text", "status", "paid", "date_text", "label", "appointment_id"]

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
            // A visit's prepayment: its ticket comes with the payment.
            "appointment_id": invoice.appointmentID.map { .int(Int($0)) } ?? .null,
        ])
    }
}

/// `payments.list`: the patient's balance, unpaid invoices (oldest first: the first to pay)
/// and the last paid ones.
public struct PaymentsListAction: Action {
    public static let signature = ActionSignature(
        name: "payments.list",
        summary: "The patient's balance (due_text, paid_text), unpaid invoices and the last 5 paid",
        parameters: [],
        outcomes: ["ok", "patient_not_found"],
        resultFields: ["unpaid", "paid", "unpaid_count", "due_text", "paid_text"],
        personalResult: true)

    let desk: any PaymentDesk
    let timeZone: TimeZone

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        guard let balance = try await desk.balance(telegramUserID: context.telegramUserID),
              let unpaid = try await desk.invoices(telegramUserID: context.telegramUserID, status: .unpaid, limit: 50),
              let paid = try await desk.invoices(telegramUserID: context.telegramUserID, status: .paid, limit: 5)
        else { return ActionResult(outcome: "patient_not_found") }
        let view = InvoiceView(timeZone: timeZone)
        let payable = unpaid.filter { $0.payable(at: Date()) }.reversed()
        return .ok([
            "unpaid": .list(payable.map(view.invoice)),
            "paid": .list(paid.map(view.invoice)),
            "unpaid_count": .int(payable.count),
            "due_text": .string(Money.format(tiyn: balance.dueTiyn)),
            "paid_text": .string(Money.format(tiyn: balance.paidTiyn)),
        ])
    }
}

/// `payments.pay`: how the patient pays one of their invoices: `way` is `telegram` (an invoice
/// to send in the chat: `say … invoice: result.invoice`) or `bank` (a link to the bank's page,
/// `url`).
public struct PaymentsPayAction: Action {
    public static let signature = ActionSignature(
        name: "payments.pay",
        summary: "How to pay one of the patient's invoices: way telegram (result.invoice for say … invoice:) or bank (result.url)",
        parameters: [.init("invoice_id", .int)],
        outcomes: PaymentWay.outcomes,
        resultFields: PaymentWay.fields,
        personalResult: true,
        // Telegram's payment sheet shows these when it refuses (`TelegramPaymentGate`).
        texts: TelegramPayments.refusals)

    let desk: any PaymentDesk
    let telegramPayments: Bool

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("invoice_id")
        guard let invoice = try await desk.invoice(id: id, telegramUserID: context.telegramUserID) else {
            return ActionResult(outcome: "not_found")
        }
        return PaymentWay(desk: desk, telegramPayments: telegramPayments).result(for: invoice)
    }
}

/// How an invoice is paid, as `payments.pay` and `payments.prepay` answer it.
struct PaymentWay {
    let desk: any PaymentDesk
    let telegramPayments: Bool

    static let fields = ["way", "invoice", "url", "amount_text", "description", "number"]
    /// `not_found` is the caller's (no such invoice or visit of this patient); the rest are `result(for:)`'s.
    static let outcomes = ["ok", "paid", "expired", "not_found", "unavailable"]

    func result(for invoice: Invoice) -> ActionResult {
        if invoice.status == .paid { return ActionResult(outcome: "paid") }
        guard invoice.payable(at: Date()) else { return ActionResult(outcome: "expired") }
        var result: [String: Value] = [
            "amount_text": .string(Money.format(tiyn: invoice.amountTiyn)),
            "description": .string(invoice.description),
            "number": .string(invoice.number),
        ]
        if invoice.provider == TelegramPayments.providerName {
            guard telegramPayments else { return ActionResult(outcome: "unavailable") }
            result["invoice"] = .map([
                "title": .string(invoice.description),
                "description": .string("№ \(invoice.number)"),
                "reference": .string(invoice.reference),
                "amount_tiyn": .int(Int(invoice.amountTiyn)),
                "currency": .string(invoice.currency),
                "label": .string(invoice.description),
            ])
            result["way"] = .string("telegram")
            return .ok(.map(result))
        }
        guard let url = desk.payURL(for: invoice, now: Date()) else { return ActionResult(outcome: "unavailable") }
        result["url"] = .string(url)
        result["way"] = .string("bank")
        return .ok(.map(result))
    }
}

/// `payments.prepay`: the invoice that prepays a visit `appointment.create` held, and how to pay
/// it (as `payments.pay`). Paid, the visit is booked and `payment_received` sends its ticket;
/// unpaid when the hold ends, the time is given back (`hold_released`).
public struct PaymentsPrepayAction: Action {
    public static let signature = ActionSignature(
        name: "payments.prepay",
        summary: "The prepayment of a held visit: way telegram (result.invoice) or bank (result.url), as payments.pay",
        parameters: [.init("appointment_id", .int)],
        outcomes: PaymentWay.outcomes,
        resultFields: PaymentWay.fields,
        personalResult: true,
        texts: TelegramPayments.refusals)

    let desk: any PaymentDesk
    let telegramPayments: Bool

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("appointment_id")
        // No way to pay: no invoice either (the hold runs out by itself).
        guard desk.bankName != nil || telegramPayments else { return ActionResult(outcome: "unavailable") }
        let provider = desk.bankName ?? TelegramPayments.providerName
        switch try await desk.prepaymentInvoice(appointmentID: id, telegramUserID: context.telegramUserID,
                                                         language: Language(rawValue: context.locale) ?? .ru, provider: provider, actor: .telegram(context.telegramUserID)) {
        case .invoice(let invoice), .paid(let invoice):
            return PaymentWay(desk: desk, telegramPayments: telegramPayments).result(for: invoice)
        case .expired: return ActionResult(outcome: "expired")
        case .notFound: return ActionResult(outcome: "not_found")
        }
    }
}

/// The payment actions, ready for an `ActionRegistry`.
public enum PaymentActions {
    public static let signatures = [PaymentsGetAction.signature, PaymentsListAction.signature, PaymentsPayAction.signature,
                                    PaymentsPrepayAction.signature]
    public static func all(desk: any PaymentDesk, telegramPayments: Bool, timeZone: TimeZone) -> [any Action] {
        [PaymentsGetAction(desk: desk, timeZone: timeZone), PaymentsListAction(desk: desk, timeZone: timeZone),
         PaymentsPayAction(desk: desk, telegramPayments: telegramPayments),
         PaymentsPrepayAction(desk: desk, telegramPayments: telegramPayments)]
    }
}
