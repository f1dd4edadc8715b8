import ClinicContract
import Hummingbird
import Logging

/// An HTTP server that answers only the clinic REST API, for `clinic-bot api` and for tests
/// against a live socket. The full server (`clinic-bot serve`) adds `ClinicAPI.routes` to its
/// own router instead.
public enum APIServer {
    /// A Hummingbird application on `host:port` with the `/api/bot/` routes. Every answer is
    /// JSON, also for paths outside the API. Run it with `runService()`; whatever the clinic
    /// needs (a `PostgresClient`) must keep running meanwhile.
    public static func application(
        clinic: any Clinic, patients: any PatientDirectory, feedback: (any FeedbackDirectory)? = nil,
        documents: (any DocumentDirectory)? = nil, payments: (any PaymentDirectory)? = nil, publicBaseURL: String? = nil, secret: String?,
        host: String = "127.0.0.1", port: Int = 8080, listener: HTTPListener = HTTPListener(),
        logger: Logger = Logger(label: "clinic-bot.api"),
        describeError: @escaping @Sendable (any Error) -> String = SafeErrorDescription.describe
    ) -> some ApplicationProtocol {
        let router = Router()
        // Outermost: requests no route takes (unknown paths, unusual methods) still get JSON.
        router.add(middleware: JSONErrorMiddleware(logger: logger, describe: describeError))
        ClinicAPI.routes(on: router, clinic: clinic, patients: patients, feedback: feedback, documents: documents, payments: payments, publicBaseURL: publicBaseURL,
                          secret: secret, logger: logger, describeError: describeError)
        return Application(
            router: router, server: listener.server, configuration: listener.configuration(host: host, port: port), logger: logger)
    }
}
