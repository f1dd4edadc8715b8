import ClinicContract
import Hummingbird
import Logging
import NIOCore

/// Turns whatever a route throws into the API's JSON error, so no failure reaches Hummingbird
/// as a bare 500. Refusals and bad input are 4xx; anything else is taken for a storage failure
/// and answered 503 with no details (the log gets a description free of patient data).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// How a failure is logged without patient data (the clinic's implementation knows its errors).
    var describe: @Sendable (any Error) -> String = SafeErrorDescription.describe

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (apiError, headers) = Self.translate(error)
            var metadata: Logger.Metadata = [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "-")",
                "status": "\(apiError.status)", "code": "\(apiError.code)",
            ]
            if apiError.status >= 500 {
                metadata["error"] = "\(describe(error))"
                logger.error("API request failed", metadata: metadata)
            } else {
                logger.debug("API request refused", metadata: metadata)
            }
            return APIResponse.error(apiError, headers: headers)
        }
    }

    static func translate(_ error: any Error) -> (APIError, HTTPFields) {
        switch error {
        case let error as APIError:
            if error.status == 401 { return (error, [.wwwAuthenticate: #"Bearer realm="clinic-bot""#]) }
            return (error, [:])
        case let error as MethodNotAllowed:
            return (.methodNotAllowed(allowed: error.allow), [.allow: error.allow])
        case let refusal as ClinicRefusal:
            return (APIError(refusal), [:])
        case let invalid as InvalidInput:
            return (.invalidField(invalid.field, invalid.reason), [:])
        case is NIOTooManyBytesError:
            return (.bodyTooLarge(limit: JSONBody.limit), [:])
        case let refusal as DocumentRefusal:
            return (APIError(refusal), [:])
        case PaymentRefusal.appointmentNotFound:
            return (.appointmentNotFound, [:])
        case let error as HTTPError where error.status == .notFound:
            return (.routeNotFound, [:])
        case let error as HTTPError where (400..<500).contains(error.status.code):
            // Hummingbird's own refusals (an unreadable request); its message is generic.
            return (APIError(status: error.status.code, code: "bad_request", message: error.status.reasonPhrase), [:])
        default:
            return (.unavailable, [:])
        }
    }
}

/// A known path asked with a method it does not have; `allow` lists the ones it has.
struct MethodNotAllowed: Error {
    let allow: String
}
