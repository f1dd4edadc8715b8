import Hummingbird
import Logging

/// Requests under /api/bot/ that the router has no responder for — an unknown path, or a known
/// path with another method — are answered like every other API failure: 401 without the
/// token (routes are not advertised to strangers), else 405 with `Allow` on a known path and
/// 404 elsewhere, as JSON. The router reports both as a bare "not found" that never reaches the
/// API group's middleware.
struct UnroutedRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The API's paths under /api/bot/ as segments (":name" matches any one), with their `Allow`.
    let routes: [(segments: [Substring], allow: String)]
    let auth: BearerAuthMiddleware<Context>
    let errors: JSONErrorMiddleware<Context>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path.split(separator: "/")
            guard path.count >= 2, path[0] == "api", path[1] == "bot" else { throw error }
            let rest = Array(path.dropFirst(2))
            // The router prefers constant segments ("appointments/my" over "appointments/:id"), so do we.
            let route = routes.filter { Self.matches($0.segments, rest) }
                .max { $0.segments.count(where: { !$0.hasPrefix(":") }) < $1.segments.count(where: { !$0.hasPrefix(":") }) }
            let failure: any Error = route.map { MethodNotAllowed(allow: $0.allow) } ?? APIError.routeNotFound
            return try await errors.handle(request, context: context) { request, context in
                try await auth.handle(request, context: context) { _, _ in throw failure }
            }
        }
    }

    static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        pattern.count == path.count && zip(pattern, path).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
