import Actions
import Hummingbird
import Logging

/// The clinic REST API of the spec under `/api/bot/`, described by `openapi.yaml`.
public enum ClinicAPI {
    /// Adds the `/api/bot/` routes to `router`.
    ///
    /// - Parameters:
    ///   - secret: `TELEGRAM_BOT_API_SECRET`; nil or empty refuses every call with 401.
    ///   - logger: gets methods, route templates, statuses and error codes; never bodies, IINs,
    ///     phone numbers or tokens.
    public static func routes<Context: RequestContext>(
        on router: Router<Context>, clinic: any Clinic, patients: any PatientDirectory, secret: String?,
        logger: Logger = Logger(label: "clinic-bot.api")
    ) {
        let group = router.group("api/bot")
            .add(middleware: JSONErrorMiddleware<Context>(logger: logger))
            .add(middleware: BearerAuthMiddleware<Context>(secret: secret))
        let endpoints = APIHandlers(clinic: clinic, patients: patients).endpoints(Context.self)
        for (path, endpoints) in Dictionary(grouping: endpoints, by: \.path) {
            for endpoint in endpoints {
                group.on(RouterPath(path), method: endpoint.method) { request, context in
                    try await endpoint.handle(request, context)
                }
            }
            // Every other method on a known path is a 405 naming the allowed ones.
            let allowed = endpoints.map(\.method)
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in answeredMethods where !allowed.contains(method) {
                group.on(RouterPath(path), method: method) { _, _ -> Response in throw MethodNotAllowed(allow: allow) }
            }
        }
        // Anything else under /api/bot/ is a JSON 404 (after authentication: routes are not
        // advertised to callers without the secret). Constant paths outrank `**` in the trie,
        // but the trie does not fall back to `**` from a path that is only the beginning of a
        // route ("patient/"), so those beginnings are routes of their own.
        let paths = Set(endpoints.map(\.path))
        let beginnings = paths.flatMap { path in
            let segments = path.split(separator: "/")
            return (0..<segments.count).map { segments.prefix($0).joined(separator: "/") }
        }
        for path in Set(beginnings + ["**"]).subtracting(paths) {
            for method in answeredMethods {
                group.on(RouterPath(path), method: method) { _, _ -> Response in throw APIError.routeNotFound }
            }
        }
    }

    /// The methods answered with a JSON 405 or 404; others fall through to the router.
    static let answeredMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]
}

/// One route: a method, a path under /api/bot/ (trailing slash optional) and its handler.
struct APIEndpoint<Context: RequestContext>: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let handle: @Sendable (Request, Context) async throws -> Response
}
