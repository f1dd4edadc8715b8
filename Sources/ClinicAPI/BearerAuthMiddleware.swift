import ClinicContract
import Hummingbird

/// `Authorization: Bearer <TELEGRAM_BOT_API_SECRET>` on every call. Without a configured secret
/// every call is refused: an API left open by a missing variable is worse than one that is off.
/// (The original let a request with no header through.)
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    private let secret: [UInt8]?
    /// Requests that prove themselves another way (a download link's signed token); their
    /// handler must check that proof.
    private let exempt: @Sendable (Request) -> Bool

    init(secret: String?, exempt: @escaping @Sendable (Request) -> Bool = { _ in false }) {
        self.secret = secret.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.exempt = exempt
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if exempt(request) { return try await next(request, context) }
        guard let secret, let header = request.headers[.authorization], let token = Self.bearerToken(header),
              secretsMatch(Array(token.utf8), secret)
        else { throw APIError.unauthorized }
        return try await next(request, context)
    }

    /// The token of "Bearer <token>" (the scheme is case-insensitive, RFC 9110), or nil.
    static func bearerToken(_ header: String) -> Substring? {
        let scheme = "bearer "
        guard header.utf8.count > scheme.utf8.count,
              header.prefix(scheme.count).lowercased() == scheme
        else { return nil }
        let token = header.dropFirst(scheme.count).drop { $0 == " " }
        return token.isEmpty ? nil : token
    }
}
