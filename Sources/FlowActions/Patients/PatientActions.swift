import ClinicContract
/// The patient actions, ready for an `ActionRegistry`.
public enum PatientActions {
    public static func all(store: any PatientAccounts) -> [any Action] {
        [
            PatientUpsertAction(store: store), PatientByTelegramAction(store: store), PatientSetLanguageAction(store: store),
            PatientSetPhoneAction(store: store), PatientSetConsentAction(store: store), PatientUnlinkAction(store: store),
        ]
    }
}
