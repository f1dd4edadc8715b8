import ClinicContract
import Foundation

/// A redirect provider's callback, from raw bytes to a recorded payment: the signature and
/// its time first, then the body, then the bank's own status call, then the ledger, which
/// records a payment at most once.
public struct PaymentCallbacks: Sendable {
    let provider: RedirectProvider
    let ledger: any PaymentLedger

    public init(provider: RedirectProvider, ledger: any PaymentLedger) {
        self.provider = provider
        self.ledger = ledger
    }


    /// Throws `PaymentProviderError` when the bank cannot be asked now (the bank retries).
    public func handle(body: [UInt8], timestamp: String?, signature: String?, now: Date = Date()) async throws -> PaymentCallbackOutcome {
        switch provider.signature.check(body, timestamp: timestamp, signature: signature, now: now) {
        case .invalid: return .forged
        case .stale: return .stale
        case .valid: break
        }
        guard let said = try? JSONDecoder().decode(ProviderTransaction.self, from: Data(body)),
              (1...128).contains(said.transactionID.utf8.count), (1...128).contains(said.order.utf8.count)
        else { return .malformed }
        guard said.isPaid else { return .ignored }
        guard let confirmed = try await provider.transaction(said.transactionID), confirmed.isPaid,
              confirmed.transactionID == said.transactionID, confirmed.order == said.order,
              confirmed.amount == said.amount, confirmed.currency == said.currency
        else { return .unconfirmed }
        let claim = PaymentClaim(provider: provider.name, transactionID: confirmed.transactionID, reference: confirmed.order,
                                 amountTiyn: confirmed.amount, currency: confirmed.currency)
        return .handled(try await ledger.record(claim))
    }
}
