import ClinicPostgres
import BotRuntime
import FlowEngine
import Foundation
import Logging
import PostgresNIO
import RedisStore
import Telegram
import Testing
import TestSupport

/// Flows that sleep in a `wait` are stored in PostgreSQL and wake through the scheduler, which
/// hands them to the chat's sequencer like a person's update: real Redis, real PostgreSQL.
@Suite("Sleeping flows wake through the scheduler", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct SleepingFlowTests {
    /// The shipped flows plus `/nap` (says "going", sleeps a second, says "awake") and `ping`
    /// (a flow the system starts: says "awake").
    static func flowSet() throws -> FlowSet {
        let folders = try FlowFolders()
        defer { folders.remove() }
        try folders.write("flows/nap.yaml", """
            flow: nap
            triggers: { commands: [nap] }
            entry: going
            steps:
              going:
                say: nap.going
                next: sleep
              sleep:
                wait: { for: 1 }
                next: awake
              awake:
                say: nap.awake
                end: true
            """)
        try folders.write("flows/ping.yaml", """
            flow: ping
            entry: hello
            steps:
              hello:
                say: nap.awake
                end: true
            """)
        for (file, going, awake) in [("ru", "Засыпаю.", "Проснулся!"), ("kk", "Ұйықтаймын.", "Ояндым!")] {
            let text = try folders.read("locales/\(file).yaml")
            try folders.write("locales/\(file).yaml", text + "\nnap:\n  going: \"\(going)\"\n  awake: \"\(awake)\"\n")
        }
        return try folders.load()
    }

    /// One instance of the bot: a handler on the flows, a sequencer on the shared Redis, the
    /// job store on PostgreSQL, and what it would send to Telegram.
    struct Instance {
        let sequencer: RedisSequencer
        let scheduler: JobScheduler
        let sent: Recorder<(chat: Int64, text: String)>
    }

    static func instance(_ set: FlowSet, redis: SharedRedis, store: PostgresFlowJobStore, sent: Recorder<(chat: Int64, text: String)>) -> Instance {
        let handler = UpdateHandler(flows: FlowSetHolder(set), actions: ActionGateway(performer: FixtureActions(
            signatures: ClinicActions.signatures, results: ["patient.by_telegram": [ActionResult(outcome: "not_found")]])),
                                    answerButton: { _ in })
        let work = UpdateWork(handler: handler, deliver: { processed in
            for case .sendMessage(let message) in processed.calls { sent.append((processed.chat, message.text)) }
        }, jobs: store, logger: Logger(label: "test.sleeping"))
        let sequencer = redis.sequencer(work)
        var timing = JobScheduler.Timing()
        timing.poll = .milliseconds(50)
        timing.retry = .milliseconds(200)
        timing.batch = 16
        return Instance(sequencer: sequencer, scheduler: JobScheduler(store: store, sequencer: sequencer, timing: timing,
                                                                      logger: Logger(label: "test.scheduler")), sent: sent)
    }

    /// Runs the schedulers for the duration of `body`.
    static func running<T: Sendable>(_ schedulers: [JobScheduler], _ body: () async throws -> T) async throws -> T {
        let tasks = schedulers.map { scheduler in Task { try await scheduler.run() } }
        defer { tasks.forEach { $0.cancel() } }
        return try await body()
    }

    /// A migrated schema of its own, its job store, and the shared Redis.
    static func withStores(_ body: (PostgresClient, PostgresFlowJobStore, SharedRedis) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let store = PostgresFlowJobStore(client: client)
            try await SharedRedis.with { redis throws in try await body(client, store, redis) }
        }
    }

    /// A due start of the `ping` flow in `chat`.
    static func ping(_ origin: String, chat: Int64) -> NewFlowJob {
        NewFlowJob(origin: origin, chat: chat, flow: "ping", step: nil, params: [:], due: Date().addingTimeInterval(-1))
    }

    static func states(_ client: PostgresClient) async throws -> [String: Int] {
        var states: [String: Int] = [:]
        for row in try await client.query("SELECT state || '/' || coalesce(outcome, ''), count(*)::int FROM flow_jobs GROUP BY 1").collect() {
            let (state, count) = try row.decode((String, Int).self)
            states[state] = count
        }
        return states
    }

    @Test("a flow that waits a second is stored, the person is free meanwhile, and it wakes once with its reply")
    func wakesOnce() async throws {
        let set = try Self.flowSet()
        try await Self.withStores { client, store, redis in
            let sent = Recorder<(chat: Int64, text: String)>()
            let bot = Self.instance(set, redis: redis, store: store, sent: sent)
            let person = Person(id: 9201)
            let nap = person.text("/nap", update: 1)
            #expect(try await bot.sequencer.submit(nap.inbound, payload: nap.payload) == .processed)
            #expect(sent.all.map(\.text) == ["Засыпаю."])
            #expect(try await Self.states(client) == ["pending/": 1])
            try await Self.running([bot.scheduler]) {
                #expect(await eventually(timeout: .seconds(15)) { sent.all.map(\.text).contains("Проснулся!") })
                #expect(await eventually(timeout: .seconds(15)) { (try? await Self.states(client)) == ["done/fired": 1] })
            }
            #expect(sent.all.map(\.text) == ["Засыпаю.", "Проснулся!"])
            #expect(sent.all.allSatisfy { $0.chat == 9201 })
        }
    }

    @Test("three instances with a scheduler each: 60 due jobs for 20 chats, each fired once, each chat's messages once")
    func threeInstances() async throws {
        let set = try Self.flowSet()
        try await Self.withStores { client, store, redis in
            let sent = Recorder<(chat: Int64, text: String)>()
            let bots = (0..<3).map { _ in Self.instance(set, redis: redis, store: store, sent: sent) }
            try await store.schedule((0..<60).map { Self.ping("test:\($0)", chat: 9300 + Int64($0 % 20)) })
            try await Self.running(bots.map(\.scheduler)) {
                #expect(await eventually(timeout: .seconds(30)) { (try? await Self.states(client)) == ["done/fired": 60] })
            }
            #expect(sent.count == 60)
            let perChat = Dictionary(grouping: sent.all, by: \.chat).mapValues(\.count)
            #expect(perChat.count == 20 && perChat.values.allSatisfy { $0 == 3 })
        }
    }

    @Test("three instances, each with its durable outbox, on one Bot API: 60 due jobs for 20 chats, each message reaches Telegram once")
    func threeInstancesThroughTelegram() async throws {
        let set = try Self.flowSet()
        try await FakeBotAPI.serve { fake, url in
            try await Self.withStores { client, store, redis in
                let schedulers = (0..<3).map { _ in
                    let handler = UpdateHandler(flows: FlowSetHolder(set), actions: ActionGateway(performer: FixtureActions(
                        signatures: ClinicActions.signatures, results: [:])), answerButton: { _ in })
                    let work = UpdateWork(handler: handler, deliver: { _ in Issue.record("replies go through the durable outbox") },
                                          jobs: store, logger: Logger(label: "test.sleeping"))
                    let outbox = redis.outbox(url)
                    var timing = JobScheduler.Timing()
                    timing.poll = .milliseconds(50)
                    timing.batch = 16
                    return JobScheduler(store: store, sequencer: redis.sequencer(work, outbox: outbox), timing: timing,
                                        backlog: { outbox.sendingChats }, logger: Logger(label: "test.scheduler"))
                }
                try await store.schedule((0..<60).map { Self.ping("test:\($0)", chat: 9400 + Int64($0 % 20)) })
                try await Self.running(schedulers) {
                    #expect(await eventually(timeout: .seconds(30)) { await fake.calls("sendMessage").count >= 60 })
                    try await Task.sleep(for: .milliseconds(500))
                }
                let calls = await fake.calls("sendMessage")
                #expect(calls.count == 60)
                let perChat = Dictionary(grouping: calls, by: { $0.chatId ?? 0 }).mapValues(\.count)
                #expect(perChat.count == 20 && perChat.values.allSatisfy { $0 == 3 })
                #expect(try await Self.states(client) == ["done/fired": 60])
            }
        }
    }

    @Test("an instance that claimed a job and died: another fires it once the lease has run out")
    func rescuedAfterLease() async throws {
        let set = try Self.flowSet()
        try await Self.withStores { client, store, redis in
            let sent = Recorder<(chat: Int64, text: String)>()
            let survivor = Self.instance(set, redis: redis, store: store, sent: sent)
            try await store.schedule([Self.ping("test:dead", chat: 9400)])
            // The dead instance's claim, never finished.
            let claimed = try await store.claimDue(limit: 1, lease: .seconds(1))
            #expect(claimed.count == 1)
            try await Self.running([survivor.scheduler]) {
                #expect(await eventually(timeout: .seconds(15)) { sent.count == 1 })
                #expect(await eventually(timeout: .seconds(15)) { (try? await Self.states(client)) == ["done/fired": 1] })
            }
            let attempts = try await client.query("SELECT attempts FROM flow_jobs").collect()[0].decode(Int.self)
            #expect(attempts == 2)
            #expect(sent.count == 1)
        }
    }

    @Test("a job whose chat was fired but not marked done (a crash between the two) is not run twice")
    func firedNotFinished() async throws {
        let set = try Self.flowSet()
        try await Self.withStores { client, store, redis in
            let sent = Recorder<(chat: Int64, text: String)>()
            let bot = Self.instance(set, redis: redis, store: store, sent: sent)
            try await store.schedule([Self.ping("test:half", chat: 9500)])
            // The first instance claims it and hands it to the chat, then dies.
            let claimed = try #require(try await store.claimDue(limit: 1, lease: .milliseconds(500)).first)
            let input = SystemInput(claimed)
            #expect(try await bot.sequencer.submit(Inbound(input), payload: input.payload) == .processed)
            try await Self.running([bot.scheduler]) {
                #expect(await eventually(timeout: .seconds(15)) { (try? await Self.states(client)) == ["done/duplicate": 1] })
            }
            #expect(sent.count == 1)
        }
    }

    @Test("Redis down when a job is due: it is tried again and fires once Redis is back")
    func redisDown() async throws {
        let set = try Self.flowSet()
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let store = PostgresFlowJobStore(client: client)
            let server = try await PrivateRedis.start()
            defer { server.stop() }
            let sent = Recorder<(chat: Int64, text: String)>()
            let handler = UpdateHandler(flows: FlowSetHolder(set), actions: ActionGateway(performer: FixtureActions(
                signatures: ClinicActions.signatures, results: [:])), answerButton: { _ in })
            let work = UpdateWork(handler: handler, deliver: { processed in
                for case .sendMessage(let message) in processed.calls { sent.append((processed.chat, message.text)) }
            }, jobs: store, logger: Logger(label: "test.sleeping"))
            let redis = RedisClient.withOwnThreadPool(url: try #require(RedisURL(string: server.urlString)), connections: 2)
            defer { redis.close() }
            let sequencer = RedisSequencer(redis: redis, work: work, limit: RateLimit(perMinute: 100), patience: .seconds(2))
            var timing = JobScheduler.Timing()
            timing.poll = .milliseconds(50)
            timing.retry = .milliseconds(200)
            let scheduler = JobScheduler(store: store, sequencer: sequencer, timing: timing, logger: Logger(label: "test.scheduler"))
            server.stop()
            try await store.schedule([Self.ping("test:outage", chat: 9600)])
            try await Self.running([scheduler]) {
                #expect(await eventually(timeout: .seconds(15)) {
                    ((try? await client.query("SELECT attempts FROM flow_jobs").collect()[0].decode(Int.self)) ?? 0) >= 2
                })
                #expect(sent.count == 0)
                try await server.start()
                #expect(await eventually(timeout: .seconds(20)) { (try? await Self.states(client)) == ["done/fired": 1] })
            }
            #expect(sent.count == 1)
        }
    }
}
