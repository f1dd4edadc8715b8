import ClinicPostgres
import BotRuntime
import FlowEngine
import Logging
import Telegram
import Testing

@Suite("Actions that cannot reach the database")
struct ActionsUnavailableTests {
    /// A database that is down while `down` is true and otherwise answers like a new person's.
    static func gateway(down: Flag) -> ActionGateway {
        let fixtures = FixtureActions(signatures: ClinicActions.signatures, results: HandlerHarness.newPerson)
        return ActionGateway(signatures: ClinicActions.signatures) { (call: ActionCall) async throws(ActionsUnavailable) -> ActionResult in
            if down.isOn { throw ActionsUnavailable(action: call.name, reason: "connection refused") }
            return await fixtures.perform(call)
        }
    }

    @Test("handle throws StorageUnavailable instead of answering with the error branch")
    func handleThrows() async throws {
        let down = Flag(true)
        let harness = HandlerHarness(set: try ShippedFlows.load(), actions: Self.gateway(down: down))
        let update = Person(id: 1001).text("/start", update: 1)
        let error = await #expect(throws: StorageUnavailable.self) {
            _ = try await harness.handler.handle(update.inbound, session: nil)
        }
        #expect(error?.description.contains("patient.by_telegram") == true)
    }

    @Test("the stored session stays as it was, and the redelivered update is handled once the database is back")
    func sessionKept() async throws {
        let down = Flag(false)
        let harness = HandlerHarness(set: try ShippedFlows.load(), actions: Self.gateway(down: down))
        let store = InMemorySessionStore()
        let delivered = Recorder<Processed>()
        let sequencer = LocalSequencer(
            store: store, work: UpdateWork(handler: harness.handler, deliver: { delivered.append($0) }, logger: Logger(label: "test")),
            limit: RateLimit(perMinute: 100))
        let person = Person(id: 1001)

        #expect(try await sequencer.submit(person.text("/start", update: 1).inbound, payload: []) == .processed)
        let atLanguage = try #require(await store.load(1001))
        #expect(atLanguage.position?.flow == "registration")

        down.set(true)
        let restart = person.text("/start", update: 2)
        await #expect(throws: StorageUnavailable.self) {
            _ = try await sequencer.submit(restart.inbound, payload: [])
        }
        #expect(await store.load(1001) == atLanguage)
        #expect(delivered.count == 1, "nothing was sent for the update that failed")

        down.set(false)
        #expect(try await sequencer.submit(restart.inbound, payload: []) == .processed)
        let after = try #require(await store.load(1001))
        #expect(after.serial > atLanguage.serial)
        #expect(delivered.count == 2)
    }
}
