import ClinicPostgres
@testable import BotRuntime
import FlowEngine
import Foundation
import TestSupport
import Testing

@Suite("Hot reload of the flows")
struct FlowWatcherTests {
    static let greeting = "    Здравствуйте! Выберите язык.\n"
    static let newGreeting = "    Добрый день! Выберите язык.\n"

    @Test("a changed text is served from the next update on")
    func changedText() async throws {
        let folders = try FlowFolders()
        defer { folders.remove() }
        let holder = FlowSetHolder(try folders.load())
        #expect(firstQuestion(holder.interpreter)?.hasPrefix("Здравствуйте!") == true)

        try await running([folders.watcher(holder, logger: LogRecorder().logger)]) {
            try #require(try await folders.waitUntilWatched(holder))
            let before = holder.version
            try folders.edit("locales/ru.yaml", replacing: Self.greeting, with: Self.newGreeting)
            #expect(await eventually { holder.version != before })
        }
        #expect(firstQuestion(holder.interpreter)?.hasPrefix("Добрый день!") == true)
    }

    @Test("a flow file that does not validate keeps the running set, is logged once by name, and its fix is picked up")
    func invalidFlowKept() async throws {
        let folders = try FlowFolders()
        defer { folders.remove() }
        let holder = FlowSetHolder(try folders.load())
        let logs = LogRecorder()
        let language = try folders.read("flows/language.yaml")

        try await running([folders.watcher(holder, logger: logs.logger)]) {
            try #require(try await folders.waitUntilWatched(holder))
            let before = holder.version
            // A text change and a broken flow in one edit: neither is served.
            try folders.edit("locales/ru.yaml", replacing: Self.greeting, with: Self.newGreeting)
            try folders.edit("flows/language.yaml", replacing: "next: check_registered", with: "next: no_such_step")
            #expect(await eventually { logs.text.contains("language.yaml") })
            try await Task.sleep(for: .milliseconds(300))
            #expect(holder.version == before)
            #expect(firstQuestion(holder.interpreter)?.hasPrefix("Здравствуйте!") == true)
            #expect(logs.text.components(separatedBy: "changed flows do not validate").count - 1 == 1, "logged once:\n\(logs.text)")
            #expect(logs.text.split(separator: "\n").contains { $0.hasPrefix("error") && $0.contains("language.yaml") && $0.contains("no_such_step") })

            // Fixed: the set with the new text is served.
            try folders.write("flows/language.yaml", language)
            #expect(await eventually { holder.version != before })
            #expect(holder.version == (try folders.load()).version)
        }
        #expect(firstQuestion(holder.interpreter)?.hasPrefix("Добрый день!") == true)
    }

    @Test("two instances reading their own folders converge on the set one of them accepted")
    func convergeThroughBoard() async throws {
        try await SharedRedis.with { redis throws in
            let a = try FlowFolders(), b = try FlowFolders()
            defer { a.remove(); b.remove() }
            let holderA = FlowSetHolder(try a.load()), holderB = FlowSetHolder(try b.load())
            let original = holderA.version
            #expect(holderB.version == original)
            let board = RedisFlowSetBoard(redis: redis.client(), prefix: redis.prefix, authenticate: Self.key.authenticate)
            let boardClient = redis.client()
            let watcherA = a.watcher(holderA, board: board, logger: LogRecorder().logger)
            let watcherB = b.watcher(holderB, board: board, logger: LogRecorder().logger)

            try await running([watcherA]) {
                // Both have posted their starting set before anything changes: a watcher that
                // starts later would otherwise post the old set over the new one.
                #expect(try await eventually { try await board.version() == original })
                _ = try await boardClient.command(["DEL", redis.prefix + "flows:version"])
                try await running([watcherB]) {
                    #expect(try await eventually { try await board.version() == original })

                    try a.edit("locales/ru.yaml", replacing: Self.greeting, with: Self.newGreeting)
                    #expect(await eventually { holderA.version != original && holderB.version == holderA.version })
                    #expect(try await board.version() == holderA.version)
                }
            }
            #expect(firstQuestion(holderB.interpreter)?.hasPrefix("Добрый день!") == true)
            // B's own folders were not touched.
            #expect(try b.read("locales/ru.yaml").contains(Self.greeting))
        }
    }

    /// The instances' PII key; the board's MAC is keyed by a subkey of it.
    static let key = try! PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())

    @Test("flows written to Redis without the instances' key are refused, and the running flows keep serving")
    func tamperedBoardRefused() async throws {
        try await SharedRedis.with { redis throws in
            let own = try FlowFolders(), forged = try FlowFolders()
            defer { own.remove(); forged.remove() }
            let holder = FlowSetHolder(try own.load())
            let original = holder.version
            // Someone with access to Redis but another key posts valid flows of their own.
            try forged.edit("locales/ru.yaml", replacing: Self.greeting, with: Self.newGreeting)
            let otherKey = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            let forger = RedisFlowSetBoard(redis: redis.client(), prefix: redis.prefix, authenticate: otherKey.authenticate)
            let forgedSet = try forged.load()
            var ignored: [Diagnostic] = []
            let sources = FlowWatcher.Sources(
                flows: FlowSetLoader.readSources(in: forged.flows.path, diagnostics: &ignored),
                locales: FlowSetLoader.readSources(in: forged.locales.path, diagnostics: &ignored))

            let board = RedisFlowSetBoard(redis: redis.client(), prefix: redis.prefix, authenticate: Self.key.authenticate)
            let log = LogRecorder()
            let watcher = own.watcher(holder, board: board, logger: log.logger)
            try await running([watcher]) {
                #expect(try await eventually { try await board.version() == original })
                try await forger.publish(version: forgedSet.version, sources: try JSONEncoder().encode(sources))
                #expect(await eventually { log.text.contains("flows in Redis refused") })
                // A few rounds of the watcher (every 50 ms): it never takes the forged set.
                try await Task.sleep(for: .milliseconds(300))
                #expect(holder.version == original)
            }
            #expect(firstQuestion(holder.interpreter)?.hasPrefix("Добрый день!") == false)
            await #expect(throws: FlowSetBoardTampered.self) { try await board.sources() }
        }
    }

    @Test("a signed set published long ago and written back to Redis (a rollback) is not taken up")
    func replayedBoardIgnored() async throws {
        try await SharedRedis.with { redis throws in
            let folders = try FlowFolders()
            defer { folders.remove() }
            var ignored: [Diagnostic] = []
            let sources = try JSONEncoder().encode(FlowWatcher.Sources(
                flows: FlowSetLoader.readSources(in: folders.flows.path, diagnostics: &ignored),
                locales: FlowSetLoader.readSources(in: folders.locales.path, diagnostics: &ignored)))
            // Published an hour ago, with the right key.
            let past = RedisFlowSetBoard(redis: redis.client(), prefix: redis.prefix, now: { Date().addingTimeInterval(-3600) },
                                         authenticate: Self.key.authenticate)
            try await past.publish(version: "old", sources: sources)
            let board = RedisFlowSetBoard(redis: redis.client(), prefix: redis.prefix, authenticate: Self.key.authenticate)
            #expect(try await board.sources() == nil)
            try await board.publish(version: "new", sources: sources)
            #expect(try await board.sources() == sources)
        }
    }
}
