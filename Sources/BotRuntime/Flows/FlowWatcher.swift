import FlowEngine
import Foundation
import Logging
import ServiceLifecycle

/// Hot reload: reads the flows and locales folders every `interval`; a changed set replaces the
/// running one only if it validates, otherwise the old one keeps serving and the errors are
/// logged once, as `file:line:col`. With a `FlowSetBoard` (Redis), every instance converges on
/// the set last accepted by any of them instead of each serving what it last read.
public struct FlowWatcher: ServiceLifecycle.Service {
    let holder: FlowSetHolder
    let flowsDirectory: String
    let localesDirectory: String
    let signatures: [ActionSignature]
    let timeZone: TimeZone
    let interval: Duration
    let board: (any FlowSetBoard)?
    let logger: Logger

    public init(holder: FlowSetHolder, flowsDirectory: String, localesDirectory: String, signatures: [ActionSignature],
                timeZone: TimeZone, interval: Duration, board: (any FlowSetBoard)?, logger: Logger) {
        self.holder = holder
        self.flowsDirectory = flowsDirectory
        self.localesDirectory = localesDirectory
        self.signatures = signatures
        self.timeZone = timeZone
        self.interval = interval
        self.board = board
        self.logger = logger
    }

    public func run() async throws {
        var lastRead = read()
        // The folders may have changed since the set was loaded at start.
        accept(lastRead, origin: "folders")
        // This instance's folders are the newest word when it starts (a deployment).
        if let board { await publish(holder.interpreter.set, sources: lastRead, to: board) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { break }
            let sources = read()
            if sources != lastRead {
                lastRead = sources
                if let set = accept(sources, origin: "folders"), let board { await publish(set, sources: sources, to: board) }
            } else if let board {
                await converge(with: board)
            }
        }
    }

    struct Sources: Equatable, Codable, Sendable {
        var flows: [FlowSetLoader.Source]
        var locales: [FlowSetLoader.Source]
    }

    func read() -> Sources {
        var ignored: [Diagnostic] = []
        return Sources(flows: FlowSetLoader.readSources(in: flowsDirectory, diagnostics: &ignored),
                       locales: FlowSetLoader.readSources(in: localesDirectory, diagnostics: &ignored))
    }

    /// Validates `sources` and swaps them in; nil when they do not validate or are what runs.
    @discardableResult
    func accept(_ sources: Sources, origin: String) -> FlowSet? {
        let (set, diagnostics) = FlowSetLoader.load(flows: sources.flows, locales: sources.locales, signatures: signatures, timeZone: timeZone)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, !sources.flows.isEmpty else {
            BotMetrics.flowReloadFailures.increment()
            logger.error("changed flows do not validate; the running flows keep serving", metadata: ["errors": "\(errors.count)", "origin": "\(origin)"])
            for error in errors.prefix(50) { logger.error("\(error)") }
            return nil
        }
        guard set.version != holder.version else { return nil }
        holder.replace(with: set)
        BotMetrics.flowReloads.increment()
        logger.notice("flows reloaded", metadata: ["version": "\(set.version)", "origin": "\(origin)", "flows": "\(set.flows.count)"])
        return set
    }

    func publish(_ set: FlowSet, sources: Sources, to board: any FlowSetBoard) async {
        guard let data = try? JSONEncoder().encode(sources) else { return }
        do { try await board.publish(version: set.version, sources: data) } catch {
            logger.warning("could not publish the flows version", metadata: ["error": "\(error)"])
        }
    }

    func converge(with board: any FlowSetBoard) async {
        do {
            guard let version = try await board.version(), version != holder.version,
                  let data = try await board.sources(),
                  let sources = try? JSONDecoder().decode(Sources.self, from: data)
            else { return }
            accept(sources, origin: "another instance")
        } catch let tampered as FlowSetBoardTampered {
            BotMetrics.flowReloadFailures.increment()
            logger.error("flows in Redis refused; the running flows keep serving", metadata: ["reason": "\(tampered)"])
        } catch {
            logger.debug("flows board unreachable", metadata: ["error": "\(error)"])
        }
    }
}

/// Where instances post the flow set they accepted, so the others take it up too.
public protocol FlowSetBoard: Sendable {
    func publish(version: String, sources: Data) async throws
    func version() async throws -> String?
    func sources() async throws -> Data?
}
