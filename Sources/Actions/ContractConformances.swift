// The PostgreSQL implementations are what the REST API's directories are in production.
// ClinicContract declares the protocols; the conformances live here, beside the types.
@_exported import ClinicContract
@_exported import ClinicRemote

extension PatientStore: PatientDirectory {}
extension FeedbackStore: FeedbackDirectory {}
extension DocumentService: DocumentDirectory {}
extension PaymentService: PaymentDirectory {}
extension PaymentStore: PaymentLedger {}

// FlowEngine has a `Branch` of its own (an `if` step's branch): here it is the clinic's.
public typealias Branch = ClinicContract.Branch
