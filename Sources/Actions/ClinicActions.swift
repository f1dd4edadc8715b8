import FlowEngine
import PostgresNIO

/// Every action the flows can call: their signatures (for the validator and conversation tests,
/// which need no database) and a registry that runs them against PostgreSQL.
public enum ClinicActions {
    public static let signatures: [ActionSignature] = [
        PatientUpsertAction.signature,
        PatientByTelegramAction.signature,
        PatientSetLanguageAction.signature,
    ] + SchedulingActions.signatures

    /// The patient actions and the scheduling actions over this bot's own database.
    public static func registry(client: PostgresClient, cipher: PIICipher, policy: BookingPolicy = BookingPolicy()) -> ActionRegistry {
        ActionRegistry(
            PatientActions.all(store: PatientStore(client: client, cipher: cipher))
                + SchedulingActions.all(clinic: LocalClinic(client: client, policy: policy), timeZone: policy.timeZone))
    }
}
