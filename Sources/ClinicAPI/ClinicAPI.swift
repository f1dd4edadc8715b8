import ClinicContract
import Hummingbird
import Logging

/// The clinic REST API of the spec under `/api/bot/`, described by `openapi.yaml`.
public enum ClinicAPI {
    /// Adds the `/api/bot/` routes to `router`.
    ///
    /// Requests under /api/bot/ that match no route (an unknown path, another method) are
    /// answered too, as JSON 404 and 405; a router-level middleware does it, because the router
    /// reports them without passing through the routes' own middleware. It acts only on
    /// /api/bot/ requests the router could not route.
    ///
    /// - Parameters:
    ///   - feedback: the ratings after visits (`feedback/`); nil (a remote clinic): no such routes.
    ///   - documents: the patients' documents (`documents/`); nil (a remote clinic): no such routes.
    ///   - payments: invoices, balances and the bank's callbacks (`payments/`); nil: no such routes.
    ///   - publicBaseURL: what download links start with (`PUBLIC_BASE_URL`); nil: a bare path.
    ///   - secret: `TELEGRAM_BOT_API_SECRET`; nil or empty refuses every call with 401, except a
    ///     download with its link's token, which proves itself.
    ///   - logger: gets methods, route templates, statuses and error codes; never bodies, IINs,
    ///     phone numbers or tokens.
    ///   - describeError: how a failure is logged without patient data; the clinic's
    ///     implementation knows its own errors (`LoggableError.describe` on PostgreSQL).
    public static func routes<Context: RequestContext>(
        on router: Router<Context>, clinic: any Clinic, patients: any PatientDirectory, feedback: (any FeedbackDirectory)? = nil,
        documents: (any DocumentDirectory)? = nil, payments: (any PaymentDirectory)? = nil, publicBaseURL: String? = nil, secret: String?,
        logger: Logger = Logger(label: "clinic-bot.api"),
        describeError: @escaping @Sendable (any Error) -> String = SafeErrorDescription.describe
    ) {
        let errors = JSONErrorMiddleware<Context>(logger: logger, describe: describeError)
        // Requests that prove themselves another way, each checked by its handler: a download
        // link's token, a bank's signed callback.
        let hasDocuments = documents != nil, hasPayments = payments != nil
        let selfProving: @Sendable (Request) -> Bool = { request in
            (hasDocuments && SelfProvingRequest.carriesToken(request)) || (hasPayments && SelfProvingRequest.isPaymentCallback(request))
        }
        let auth = BearerAuthMiddleware<Context>(secret: secret, exempt: selfProving)
        let group = router.group("api/bot").add(middleware: errors).add(middleware: auth)
        let endpoints = APIHandlers(clinic: clinic, patients: patients, feedback: feedback, documents: documents, payments: payments,
                                    publicBaseURL: publicBaseURL).endpoints(Context.self)
        for endpoint in endpoints {
            group.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                try await endpoint.handle(request, context)
            }
        }
        let known = Dictionary(grouping: endpoints, by: \.path).map { path, endpoints in
            (segments: path.split(separator: "/"), allow: endpoints.map(\.method.rawValue).joined(separator: ", "))
        }
        // Added after the routes above, so it wraps none of them, only the router's not-found
        // answer (and routes added to the router later, which it leaves alone).
        router.add(middleware: UnroutedRequestMiddleware(routes: known, auth: auth, errors: errors))
    }
}

/// One route: a method, a path under /api/bot/ (trailing slash optional) and its handler.
struct APIEndpoint<Context: RequestContext>: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let handle: @Sendable (Request, Context) async throws -> Response
}
