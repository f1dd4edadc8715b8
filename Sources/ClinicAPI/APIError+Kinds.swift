import ClinicContract

// The errors the API answers, in one place so the status codes stay consistent with
// openapi.yaml (whose `components/responses` lists the same codes).
//
// 400 the request is malformed: not JSON, a missing or mistyped field, a bad query parameter
//     or path id, a value that fails its check (an IIN with a wrong check digit);
// 401 no valid bearer token;
// 404 no such route, or no such doctor / service / appointment / patient;
// 405 a known path with another method;
// 409 the request clashes with the clinic's current state: the slot was just taken, the IIN
//     belongs to another account, the appointment is past its cut-off (`too_late`) or no
//     longer changeable;
// 413 the body is over `JSONBody.limit`;
// 422 well-formed, but the clinic's rules refuse it: not a slot the doctor offers, a service
//     the doctor does not provide, the required consents not given;
// 503 the clinic's storage failed; the body says nothing more.
extension APIError {
    static let unauthorized = APIError(
        status: 401, code: "unauthorized", message: "A valid 'Authorization: Bearer <token>' header is required")
    static let routeNotFound = APIError(status: 404, code: "not_found", message: "No such API route")
    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "body_too_large", message: "The request body is larger than \(limit / 1024) KiB")
    }
    static let unavailable = APIError(
        status: 503, code: "unavailable", message: "The clinic's records are unavailable; try again later")

    static func methodNotAllowed(allowed: String) -> APIError {
        APIError(status: 405, code: "method_not_allowed", message: "This path allows only \(allowed)")
    }

    static func invalidJSON(_ reason: String) -> APIError {
        APIError(status: 400, code: "invalid_json", message: reason)
    }

    static func missingField(_ field: String) -> APIError {
        APIError(status: 400, code: "missing_field", message: "'\(field)' is required")
    }

    /// A field that is present but wrong. `reason` must never quote the value.
    static func invalidField(_ field: String, _ reason: String) -> APIError {
        APIError(status: 400, code: "invalid_field", message: "'\(field)' \(reason)")
    }

    static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        APIError(status: 400, code: "invalid_parameter", message: "'\(name)' \(reason)")
    }

    static let patientNotFound = APIError(
        status: 404, code: "patient_not_found", message: "No patient is registered for this Telegram user")
    static let iinTaken = APIError(
        status: 409, code: "iin_taken", message: "This IIN is registered to another Telegram account")
    static let alreadyRated = APIError(
        status: 409, code: "already_rated", message: "This appointment has been rated already; the first rating counts")
    static let notVisitedYet = APIError(
        status: 409, code: "not_visited_yet", message: "This appointment has not begun yet; it can be rated once it has")
    static let consentRequired = APIError(
        status: 422, code: "consent_required",
        message: "Consent to personal data processing and to medical intervention is required")

    // Download links (`GET documents/<id>/download/?token=`): one answer for a link that is
    // not ours, altered, or another patient's; another for one that ran out. Neither says
    // whether the document exists.
    static let linkRefused = APIError(status: 403, code: "link_invalid", message: "This download link is not valid")
    static let linkGone = APIError(
        status: 410, code: "link_expired", message: "This download link has expired or its document was removed; ask the clinic for a new one")
    static let documentNotFound = APIError(status: 404, code: "not_found", message: "No such document of this patient")

    // Payments. A callback's signature is checked before anything else; a forged one and a
    // replayed one are told apart only once the signature proved the sender.
    static let invoiceNotFound = APIError(status: 404, code: "not_found", message: "No such invoice")
    static let appointmentNotFound = APIError(status: 404, code: "not_found", message: "No such appointment of this patient")
    static let signatureInvalid = APIError(status: 401, code: "invalid_signature", message: "The callback's signature is missing or wrong")
    static let signatureExpired = APIError(
        status: 401, code: "signature_expired", message: "The callback's timestamp is outside the accepted window")
    static let paymentUnconfirmed = APIError(
        status: 409, code: "payment_unconfirmed", message: "The provider's status call does not confirm this payment")
    static let providerUnreachable = APIError(
        status: 503, code: "provider_unreachable", message: "The payment provider cannot be asked now; send the callback again later")

    init(_ refusal: DocumentRefusal) {
        switch refusal {
        case .notPDF: self.init(status: 422, code: "not_pdf", message: "The file must be a PDF")
        }
    }

    init(_ refusal: ClinicRefusal) {
        switch refusal {
        case .slotTaken:
            self.init(status: 409, code: refusal.rawValue, message: "This time has just been booked by someone else")
        case .tooLate:
            self.init(status: 409, code: refusal.rawValue, message: "It is too late to change this appointment")
        case .notChangeable:
            self.init(status: 409, code: refusal.rawValue, message: "This appointment is cancelled or completed")
        case .notBookable:
            self.init(status: 422, code: refusal.rawValue, message: "The doctor does not offer this time")
        case .serviceNotProvided:
            self.init(status: 422, code: refusal.rawValue, message: "The doctor does not provide this service")
        case .notFound:
            self.init(status: 404, code: refusal.rawValue, message: "No such doctor, service, branch or appointment")
        case .patientNotFound:
            self = .patientNotFound
        case .tooManyUpcoming:
            self.init(status: 409, code: refusal.rawValue, message: "The patient already has as many upcoming appointments as the bot allows")
        }
    }
}
