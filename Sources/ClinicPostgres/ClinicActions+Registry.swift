import FlowActions
import FlowEngine
import PostgresNIO

extension ClinicActions {
    /// The patient actions over this bot's own database, and the scheduling actions over
    /// `remote` (a clinic's REST API, `CLINIC_API_URL`) when given, else over the same database.
    /// - Parameters:
    ///   - bank: the bank patients pay at (`PAYMENT_PROVIDER_URL`); nil: none.
    ///   - telegramPayments: whether invoices can be sent in Telegram (a provider token is set).
    public static func registry(client: PostgresClient, cipher: PIICipher, policy: BookingPolicy = BookingPolicy(),
                                remote: RemoteClinic? = nil, bank: RedirectProvider? = nil, publicBaseURL: String? = nil,
                                telegramPayments: Bool = false) -> ActionRegistry {
        let clinic: any Clinic = remote ?? LocalClinic(client: client, policy: policy)
        return ActionRegistry(
            PatientActions.all(store: PatientStore(client: client, cipher: cipher))
                + SchedulingActions.all(clinic: clinic, timeZone: policy.timeZone)
                + FeedbackActions.all(store: FeedbackStore(client: client))
                + DocumentActions.all(store: DocumentStore(client: client, cipher: cipher), timeZone: policy.timeZone)
                + PaymentActions.all(desk: PaymentService(store: PaymentStore(client: client), redirect: bank, publicBaseURL: publicBaseURL),
                                     telegramPayments: telegramPayments, timeZone: policy.timeZone),
            failures: PostgresFailures())
    }
}
