import ClinicContract
import FlowEngine
import Foundation

/// The scheduling actions over any `Clinic`, ready for an `ActionRegistry`.
public enum SchedulingActions {
    public static let signatures: [ActionSignature] = [
        BranchesListAction.signature, ServicesListAction.signature, DoctorsListAction.signature,
        SlotsDaysAction.signature, SlotsListAction.signature,
        AppointmentCreateAction.signature, AppointmentMyAction.signature,
        AppointmentRescheduleAction.signature, AppointmentCancelAction.signature, AppointmentCurrentAction.signature,
        AppointmentGetAction.signature,
    ]

    /// `timeZone` is the clinic's (`CLINIC_TIMEZONE`): labels show local times in it.
    public static func all(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) -> [any Action] {
        [
            BranchesListAction(clinic: clinic, timeZone: timeZone),
            ServicesListAction(clinic: clinic, timeZone: timeZone),
            DoctorsListAction(clinic: clinic, timeZone: timeZone),
            SlotsDaysAction(clinic: clinic),
            SlotsListAction(clinic: clinic, timeZone: timeZone),
            AppointmentCreateAction(clinic: clinic, timeZone: timeZone),
            AppointmentMyAction(clinic: clinic, timeZone: timeZone),
            AppointmentRescheduleAction(clinic: clinic, timeZone: timeZone),
            AppointmentCancelAction(clinic: clinic, timeZone: timeZone),
            AppointmentCurrentAction(clinic: clinic, timeZone: timeZone),
            AppointmentGetAction(clinic: clinic, timeZone: timeZone),
        ]
    }
}
