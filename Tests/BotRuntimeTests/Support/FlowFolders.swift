import ClinicPostgres
import BotRuntime
import FlowEngine
import Foundation
import Logging

/// A copy of the shipped flows/ and locales/ in a temporary folder, to edit while a watcher
/// reads it.
struct FlowFolders {
    let root: URL
    var flows: URL { root.appendingPathComponent("flows") }
    var locales: URL { root.appendingPathComponent("locales") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("flow-watcher-\(UUID().uuidString)")
        let fm = FileManager.default
        for (from, to) in [(ShippedFlows.flowsDirectory, flows), (ShippedFlows.localesDirectory, locales)] {
            try fm.createDirectory(at: to, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: from.path) where name.hasSuffix(".yaml") {
                try fm.copyItem(at: from.appendingPathComponent(name), to: to.appendingPathComponent(name))
            }
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func load() throws -> FlowSet { try ShippedFlows.load(flows: flows.path, locales: locales.path) }

    func read(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    /// Replaces `old` (which must be there) with `new` in the file.
    func edit(_ path: String, replacing old: String, with new: String) throws {
        let text = try read(path)
        guard text.contains(old) else { throw DriverError("'\(old)' is not in \(path)") }
        try write(path, text.replacingOccurrences(of: old, with: new))
    }

    /// A watcher of these folders for `holder`, checking every 50 ms.
    func watcher(_ holder: FlowSetHolder, board: (any FlowSetBoard)? = nil, logger: Logger) -> FlowWatcher {
        FlowWatcher(holder: holder, flowsDirectory: flows.path, localesDirectory: locales.path, signatures: ClinicActions.signatures,
                    timeZone: .clinicDefault, interval: .milliseconds(50), board: board, logger: logger)
    }
}

/// The first question a new person gets, as `interpreter` words it.
func firstQuestion(_ interpreter: Interpreter) -> String? {
    var session = Session(userID: 1)
    session.flowsVersion = interpreter.set.version
    let now = Date()
    _ = interpreter.handle(.command("start", argument: ""), session: &session, now: now)
    let turn = interpreter.handle(.actionResult(ActionResult(outcome: "not_found")), session: &session, now: now)
    for case .message(let message) in turn.replies { return message.text }
    return nil
}

/// Runs `watcher` for the duration of `body`.
func running<T>(_ watchers: [FlowWatcher], _ body: () async throws -> T) async throws -> T {
    let tasks = watchers.map { watcher in Task { try await watcher.run() } }
    defer { tasks.forEach { $0.cancel() } }
    let result = try await body()
    for task in tasks {
        task.cancel()
        _ = try? await task.value
    }
    return result
}

extension FlowFolders {
    /// Makes changes that only add a comment until `holder` serves one: from then on the
    /// watcher is running and has read the folders. (A watcher takes what it first reads as
    /// what is running, so an edit made before it starts goes unseen: the first comment may.)
    func waitUntilWatched(_ holder: FlowSetHolder) async throws -> Bool {
        let version = holder.version
        for attempt in 1...20 {
            try write("flows/start.yaml", try read("flows/start.yaml") + "\n# watched \(attempt)\n")
            if await eventually(timeout: .seconds(1), { holder.version != version }) { return true }
        }
        return false
    }
}
