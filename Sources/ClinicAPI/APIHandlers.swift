import ClinicContract
import Hummingbird

/// The handlers of the API's routes; each reads its input, asks the `Clinic` or the
/// `PatientDirectory`, and answers JSON. Errors are thrown and rendered by `JSONErrorMiddleware`.
struct APIHandlers: Sendable {
    let clinic: any Clinic
    let patients: any PatientDirectory
    let feedback: (any FeedbackDirectory)?
    let documents: (any DocumentDirectory)?
    let payments: (any PaymentDirectory)?
    /// Put before a download link's path ("https://bot.clinic.kz"); nil: the path alone.
    let publicBaseURL: String?

    func endpoints<Context: RequestContext>(_: Context.Type) -> [APIEndpoint<Context>] {
        var endpoints: [APIEndpoint<Context>] = [
            .init(method: .post, path: "patient/upsert") { request, _ in try await upsertPatient(request) },
            .init(method: .post, path: "patient/verify-iin") { request, _ in try await verifyIIN(request) },
            .init(method: .post, path: "patient/link-code") { request, _ in try await issueLinkCode(request) },
            .init(method: .get, path: "patient/by-telegram/:telegram_user_id") { request, context in
                try await patient(telegramUserID: try context.parameters.id("telegram_user_id"), QueryParameters(request))
            },
            .init(method: .get, path: "branches") { _, _ in try await branches() },
            .init(method: .get, path: "services") { request, _ in try await services(QueryParameters(request)) },
            .init(method: .get, path: "doctors") { request, _ in try await doctors(QueryParameters(request)) },
            .init(method: .get, path: "slots") { request, _ in try await slots(QueryParameters(request)) },
            .init(method: .post, path: "appointments") { request, _ in try await book(request) },
            .init(method: .get, path: "appointments/my") { request, _ in try await myAppointments(QueryParameters(request)) },
            .init(method: .patch, path: "appointments/:id") { request, context in
                try await reschedule(request, appointmentID: try context.parameters.id("id"))
            },
            .init(method: .post, path: "appointments/:id/cancel") { request, context in
                try await cancel(request, appointmentID: try context.parameters.id("id"))
            },
        ]
        if let feedback {
            endpoints += [
                .init(method: .post, path: "feedback") { request, _ in try await rate(request, feedback: feedback) },
                .init(method: .get, path: "feedback") { request, _ in try await ratings(QueryParameters(request), feedback: feedback) },
            ]
        }
        if let documents {
            endpoints += [
                .init(method: .get, path: "documents") { request, _ in try await self.documents(QueryParameters(request), documents: documents) },
                .init(method: .post, path: "documents") { request, _ in try await uploadDocument(request, documents: documents) },
                .init(method: .post, path: "documents/generate") { request, _ in try await generateDocument(request, documents: documents) },
                .init(method: .get, path: "documents/:id/download") { request, context in
                    try await download(request, documentID: try context.parameters.id("id"), documents: documents)
                },
            ]
        }
        if let payments {
            endpoints += [
                .init(method: .post, path: "payments/invoice") { request, _ in try await createInvoice(request, payments: payments) },
                .init(method: .get, path: "payments/balance") { request, _ in try await balance(QueryParameters(request), payments: payments) },
                .init(method: .get, path: "payments/:id/status") { _, context in
                    try await invoiceStatus(invoiceID: try context.parameters.id("id"), payments: payments)
                },
                .init(method: .post, path: "payments/callback") { request, _ in try await paymentCallback(request, payments: payments) },
            ]
        }
        return endpoints
    }
}
