import FlowEngine
import PostgresNIO

/// Every action the flows can call: their signatures (for the validator and conversation tests,
/// which need no database) and a registry that runs them against PostgreSQL.
public enum ClinicActions {
    public static let signatures: [ActionSignature] = [
        PatientUpsertAction.signature,
        PatientByTelegramAction.signature,
        PatientSetLanguageAction.signature,
    ]

    public static func registry(client: PostgresClient, cipher: PIICipher) -> ActionRegistry {
        ActionRegistry(PatientActions.all(store: PatientStore(client: client, cipher: cipher)))
    }
}
