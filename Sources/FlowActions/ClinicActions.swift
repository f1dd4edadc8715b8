import FlowEngine
import ClinicContract

/// Every action the flows can call: their signatures, for the validator and conversation tests,
/// which need no database. `ClinicActions.registry` (in ClinicPostgres) runs them against PostgreSQL.
public enum ClinicActions {
    public static let signatures: [ActionSignature] = [
        PatientUpsertAction.signature,
        PatientByTelegramAction.signature,
        PatientSetLanguageAction.signature,
        PatientSetPhoneAction.signature,
        PatientSetConsentAction.signature,
        PatientUnlinkAction.signature,
    ] + SchedulingActions.signatures + FeedbackActions.signatures + DocumentActions.signatures
        + PaymentActions.signatures
}
