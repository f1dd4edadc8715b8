import Foundation

/// A redirect provider's callback, from raw bytes to a recorded payment: the signature and
/// its time first, then the body, then the bank's own status call, then the store, which
/// records a payment at most once.
public struct PaymentCallbacks: Sendable {
    let provider: RedirectProvider
    let store: PaymentStore

    public init(provider: RedirectProvider, store: PaymentStore) {
        self.provider = provider
        self.store = store
    }

    public enum Outcome: Sendable, Equatable {
        /// Signed with another secret, or not at all: nothing was read.
        case forged
        /// Signed, but outside the time window: a replay.
        case stale
        /// Not the JSON the contract says.
        case malformed
        /// The callback says something other than "paid" (pending, failed): nothing to record.
        case ignored
        /// The bank's status call does not confirm what the callback says.
        case unconfirmed
        /// The store's answer.
        case handled(PaymentRecording)
    }

    /// Throws `PaymentProviderError` when the bank cannot be asked now (the bank retries).
    public func handle(body: [UInt8], timestamp: String?, signature: String?, now: Date = Date()) async throws -> Outcome {
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
        return .handled(try await store.record(claim))
    }
}
