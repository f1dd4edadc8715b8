import BotRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("/healthz and /readyz")
struct HealthRoutesTests {
    struct Down: Error {}

    func get(_ uri: String, checks: [(name: String, probe: @Sendable () async throws -> Void)]) async throws -> (HTTPResponse.Status, [String: Any]) {
        let router = Router()
        HealthRoutes(checks: checks, registry: nil).add(to: router)
        return try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: uri, method: .get)
            let json = (try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))) as? [String: Any] ?? [:]
            return (response.status, json)
        }
    }

    @Test("/healthz answers 200 even when storage is down")
    func healthz() async throws {
        let (status, _) = try await get("/healthz", checks: [("redis", { throw Down() })])
        #expect(status == .ok)
    }

    @Test("/readyz answers 503 naming exactly the checks that fail")
    func notReady() async throws {
        let (status, json) = try await get("/readyz", checks: [
            ("postgresql", {}),
            ("redis", { throw Down() }),
        ])
        #expect(status == .serviceUnavailable)
        #expect(json["ready"] as? Bool == false)
        #expect(json["unavailable"] as? [String] == ["redis"])

        let (both, all) = try await get("/readyz", checks: [("postgresql", { throw Down() }), ("redis", { throw Down() })])
        #expect(both == .serviceUnavailable)
        #expect(all["unavailable"] as? [String] == ["postgresql", "redis"])
    }

    @Test("/readyz answers 200 when every check passes")
    func ready() async throws {
        let sequencer = FakeSequencer()
        let (status, json) = try await get("/readyz", checks: [("postgresql", {}), ("redis", { try await sequencer.ping() })])
        #expect(status == .ok)
        #expect(json["ready"] as? Bool == true)
    }

    @Test("/readyz follows the sequencer's storage going down and coming back")
    func followsSequencer() async throws {
        let sequencer = FakeSequencer()
        let checks: [(name: String, probe: @Sendable () async throws -> Void)] = [("redis", { try await sequencer.ping() })]
        sequencer.failPing(with: Down())
        #expect(try await get("/readyz", checks: checks).0 == .serviceUnavailable)
        sequencer.failPing(with: nil)
        #expect(try await get("/readyz", checks: checks).0 == .ok)
    }
}
