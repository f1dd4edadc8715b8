import Foundation
import Logging
import RedisStore
import ServiceLifecycle
import Telegram

/// Long polling (`USE_WEBHOOK=false`): `getUpdates` with the offset just past the last update
/// handled. A batch's chats are handled side by side, each chat's updates in order. When storage
/// is down the offset stays at the first update not handled, so nothing is skipped; network
/// errors and outages back off up to 30 s.
public struct Poller: ServiceLifecycle.Service {
    let client: BotAPIClient
    let sequencer: any UpdateSequencer
    let logger: Logger
    let pollSeconds: Int
    /// Payment updates go here instead of to the chat's line; nil: none are expected.
    let payments: TelegramPaymentGate?

    public init(client: BotAPIClient, sequencer: any UpdateSequencer, payments: TelegramPaymentGate? = nil, logger: Logger, pollSeconds: Int = 25) {
        self.client = client
        self.sequencer = sequencer
        self.payments = payments
        self.logger = logger
        self.pollSeconds = pollSeconds
    }

    public func run() async throws {
        var offset: Int64?
        var pause = Duration.milliseconds(500)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let updates: [Update]
            do {
                // Only the wait for new updates is cut short by a shutdown; updates already
                // received are handled to the end.
                let request = GetUpdates(offset: offset, timeout: pollSeconds, allowedUpdates: handledUpdateTypes)
                updates = try await cancelWhenGracefulShutdown {
                    try await client.getUpdates(request)
                }
                pause = .milliseconds(500)
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("getUpdates failed; retrying", metadata: ["error": "\(error)", "pause": "\(pause)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
                continue
            }
            guard !updates.isEmpty else { continue }
            let failed = await handle(updates)
            if let failed {
                offset = failed
                logger.warning("storage unavailable; the batch is retried", metadata: ["pause": "\(pause)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
            } else {
                offset = (updates.map(\.updateId).max() ?? 0) + 1
            }
        }
    }

    /// Handles a batch; returns the lowest update id that could not be handled, if any.
    func handle(_ updates: [Update]) async -> Int64? {
        var byChat: [Int64: [(id: Int64, inbound: Inbound, payload: [UInt8])]] = [:]
        // A payment that could not be recorded: the batch is fetched again from it. The rest of
        // the batch is handled now all the same; what comes again is handled once (the
        // sequencer knows the updates it handled, the payments their charges).
        var unrecorded: Int64?
        for update in updates.sorted(by: { $0.updateId < $1.updateId }) {
            if let payments, TelegramPaymentGate.isPayment(update) {
                do {
                    try await payments.handle(update)
                } catch {
                    logger.warning("payment update not recorded; retried", metadata: ["update_id": "\(update.updateId)", "error": "\(type(of: error))"])
                    unrecorded = min(unrecorded ?? update.updateId, update.updateId)
                }
                continue
            }
            guard let inbound = Inbound(update) else {
                BotMetrics.ignored.increment()
                continue
            }
            let payload = (try? TelegramJSON.encoder.encode(update)).map { Array($0) } ?? []
            byChat[inbound.chat, default: []].append((update.updateId, inbound, payload))
        }
        let failedPayment = unrecorded
        return await withTaskGroup(of: Int64?.self) { group in
            for (_, chatUpdates) in byChat {
                group.addTask {
                    for (id, inbound, payload) in chatUpdates {
                        do {
                            _ = try await sequencer.submit(inbound, payload: payload)
                        } catch is StorageUnavailable {
                            return id
                        } catch is RedisError {
                            return id
                        } catch {
                            BotMetrics.poison.increment()
                            logger.error("update failed; skipped", metadata: ["update_id": "\(id)", "error": "\(type(of: error))"])
                        }
                    }
                    return nil
                }
            }
            var lowest: Int64? = failedPayment
            for await failed in group {
                if let failed { lowest = min(lowest ?? failed, failed) }
            }
            return lowest
        }
    }
}
