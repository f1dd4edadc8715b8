/// Telegram Payments: the invoice the bot sends, the check Telegram asks for before it takes
/// the money (`pre_checkout_query`, to be answered within 10 seconds), and the message that
/// says the money was taken (`successful_payment`). Amounts are in the currency's smallest unit
/// (tiyn for KZT).
public struct PreCheckoutQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: User
    public var currency: String
    public var totalAmount: Int64
    /// What the bot put in the invoice: the invoice's reference.
    public var invoicePayload: String

    public init(id: String, from: User, currency: String, totalAmount: Int64, invoicePayload: String) {
        self.id = id
        self.from = from
        self.currency = currency
        self.totalAmount = totalAmount
        self.invoicePayload = invoicePayload
    }
}

public struct SuccessfulPayment: Codable, Sendable, Hashable {
    public var currency: String
    public var totalAmount: Int64
    public var invoicePayload: String
    /// Telegram's id of the charge: the transaction a payment is recorded once by.
    public var telegramPaymentChargeId: String
    public var providerPaymentChargeId: String?

    public init(currency: String, totalAmount: Int64, invoicePayload: String, telegramPaymentChargeId: String, providerPaymentChargeId: String? = nil) {
        self.currency = currency
        self.totalAmount = totalAmount
        self.invoicePayload = invoicePayload
        self.telegramPaymentChargeId = telegramPaymentChargeId
        self.providerPaymentChargeId = providerPaymentChargeId
    }
}

public struct LabeledPrice: Codable, Sendable, Hashable {
    public var label: String
    public var amount: Int64

    public init(label: String, amount: Int64) {
        self.label = label
        self.amount = amount
    }
}

/// `sendInvoice`. Telegram's limits: a title of 1–32 characters, a description of 1–255, a
/// payload of 1–128 bytes.
public struct SendInvoice: Codable, Sendable, Hashable {
    public var chatId: Int64
    public var title: String
    public var description: String
    public var payload: String
    public var providerToken: String
    public var currency: String
    public var prices: [LabeledPrice]

    public init(chatId: Int64, title: String, description: String, payload: String, providerToken: String, currency: String, prices: [LabeledPrice]) {
        self.chatId = chatId
        self.title = String(title.prefix(32))
        self.description = String(description.prefix(255))
        self.payload = payload
        self.providerToken = providerToken
        self.currency = currency
        self.prices = prices
    }
}

/// `answerPreCheckoutQuery`: yes, or no with a reason the person reads.
public struct AnswerPreCheckoutQuery: Codable, Sendable, Hashable {
    public var preCheckoutQueryId: String
    public var ok: Bool
    public var errorMessage: String?

    public init(preCheckoutQueryId: String, ok: Bool, errorMessage: String? = nil) {
        self.preCheckoutQueryId = preCheckoutQueryId
        self.ok = ok
        self.errorMessage = errorMessage
    }
}
