import Hummingbird

/// The requests the API takes without its bearer token, because whoever sends them does not
/// have it: each carries its own proof, which its handler checks before anything is read.
enum SelfProvingRequest {
    /// `GET /api/bot/documents/<id>/download/?token=…`: the patient's browser opens it; the
    /// signed token is its proof (`DocumentLink.check`).
    @Sendable static func carriesToken(_ request: Request) -> Bool {
        guard request.method == .get, !request.uri.queryParameters[values: "token"].isEmpty else { return false }
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        return segments.count == 5 && segments[0] == "api" && segments[1] == "bot" && segments[2] == "documents"
            && PositiveID.parse(segments[3]) != nil && segments[4] == "download"
    }

    /// `POST /api/bot/payments/callback/`: the bank signs its callbacks instead (`PaymentSignature`).
    @Sendable static func isPaymentCallback(_ request: Request) -> Bool {
        guard request.method == .post else { return false }
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        return segments == ["api", "bot", "payments", "callback"]
    }
}
