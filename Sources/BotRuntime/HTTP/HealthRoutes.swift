import Hummingbird
import Logging
import Prometheus

/// `/healthz` (the process answers), `/readyz` (PostgreSQL and Redis answer: a load balancer
/// sends no updates to an instance that could not store them), `/metrics` (Prometheus).
///
/// `serve` puts all three on the admin listener (`ADMIN_HOST:ADMIN_PORT`, loopback by default)
/// and only `/healthz` on the public one: what the bot counts and which of its stores is down
/// is for the clinic's monitoring, not for anyone who can reach the webhook.
public struct HealthRoutes: Sendable {
    public let checks: [(name: String, probe: @Sendable () async throws -> Void)]
    public let registry: PrometheusCollectorRegistry?

    public init(checks: [(name: String, probe: @Sendable () async throws -> Void)], registry: PrometheusCollectorRegistry?) {
        self.checks = checks
        self.registry = registry
    }

    /// Only `/healthz`: for the public listener.
    public static func addLiveness<Context: RequestContext>(to router: Router<Context>) {
        router.get("healthz") { _, _ in JSONResponse.ok }
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("healthz") { _, _ in JSONResponse.ok }
        router.get("readyz") { _, _ in await self.readiness() }
        if let registry {
            router.get("metrics") { _, _ in
                var buffer: [UInt8] = []
                buffer.reserveCapacity(8192)
                registry.emit(into: &buffer)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
            }
        }
    }

    func readiness() async -> Response {
        var failing: [String] = []
        for check in checks {
            do { try await check.probe() } catch { failing.append(check.name) }
        }
        if failing.isEmpty { return JSONResponse.json(.ok, #"{"ready":true}"#) }
        let list = failing.map { "\"\($0)\"" }.joined(separator: ",")
        return JSONResponse.json(.serviceUnavailable, #"{"ready":false,"unavailable":[\#(list)]}"#)
    }
}
