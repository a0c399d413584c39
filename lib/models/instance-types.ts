/**
 * Facts about the SageMaker instance types this library trains or hosts on.
 *
 * One entry per instance type; everything that depends on the hardware (GPU count
 * for tensor parallelism, whether EBS volume size / KMS can be set, price for the
 * estimate) is read from here. GPUs and host memory agree with the per-instance resource
 * requirements of JumpStart's hub documents (a test compares them); a type without a price
 * on record has its cost reported as unknown rather than guessed.
 */
export interface InstanceTypeFacts {
  /** Number of GPUs (used for tensor parallelism when hosting). */
  readonly gpus: number;
  /** GPU memory per GPU in GiB. */
  readonly gpuMemoryGiB: number;
  /** Host memory in GiB (JumpStart's hub documents ask half of it for one inference component copy). */
  readonly memoryGiB: number;
  /**
   * Instance store on local NVMe. SageMaker refuses a volume KMS key on these and
   * uses the instance store instead of an EBS volume of the requested size.
   */
  readonly localNvme: boolean;
  /** On-demand SageMaker training price, USD per hour (see PRICES_AS_OF). */
  readonly trainingUsdPerHour?: number;
  /** On-demand SageMaker real-time inference price, USD per hour (see PRICES_AS_OF). */
  readonly hostingUsdPerHour?: number;
}

/** Where and when the prices below were read from the public SageMaker pricing page. */
export const PRICES_AS_OF = { region: 'us-east-1', date: '2024-05' } as const;

export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeFacts>> = {
  'ml.g4dn.12xlarge': {
    gpus: 4,
    gpuMemoryGiB: 16,
    memoryGiB: 192,
    localNvme: true,
    trainingUsdPerHour: 4.89,
    hostingUsdPerHour: 4.89,
  },
  'ml.g5.xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 16, localNvme: true },
  'ml.g5.2xlarge': {
    gpus: 1,
    gpuMemoryGiB: 24,
    memoryGiB: 32,
    localNvme: true,
    trainingUsdPerHour: 1.515,
    hostingUsdPerHour: 1.515,
  },
  'ml.g5.4xlarge': {
    gpus: 1,
    gpuMemoryGiB: 24,
    memoryGiB: 64,
    localNvme: true,
    trainingUsdPerHour: 2.03,
    hostingUsdPerHour: 2.03,
  },
  'ml.g5.8xlarge': {
    gpus: 1,
    gpuMemoryGiB: 24,
    memoryGiB: 128,
    localNvme: true,
    trainingUsdPerHour: 3.06,
    hostingUsdPerHour: 3.06,
  },
  'ml.g5.12xlarge': {
    gpus: 4,
    gpuMemoryGiB: 24,
    memoryGiB: 192,
    localNvme: true,
    trainingUsdPerHour: 7.09,
    hostingUsdPerHour: 7.09,
  },
  'ml.g5.16xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 256, localNvme: true },
  'ml.g5.24xlarge': {
    gpus: 4,
    gpuMemoryGiB: 24,
    memoryGiB: 384,
    localNvme: true,
    trainingUsdPerHour: 10.18,
    hostingUsdPerHour: 10.18,
  },
  'ml.g5.48xlarge': {
    gpus: 8,
    gpuMemoryGiB: 24,
    memoryGiB: 768,
    localNvme: true,
    trainingUsdPerHour: 20.36,
    hostingUsdPerHour: 20.36,
  },
  'ml.g6.xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 16, localNvme: true },
  'ml.g6.2xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 32, localNvme: true, hostingUsdPerHour: 1.222 },
  'ml.g6.4xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 64, localNvme: true },
  'ml.g6.8xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 128, localNvme: true },
  'ml.g6.12xlarge': { gpus: 4, gpuMemoryGiB: 24, memoryGiB: 192, localNvme: true, hostingUsdPerHour: 5.752 },
  'ml.g6.16xlarge': { gpus: 1, gpuMemoryGiB: 24, memoryGiB: 256, localNvme: true },
  'ml.g6.24xlarge': { gpus: 4, gpuMemoryGiB: 24, memoryGiB: 384, localNvme: true },
  'ml.g6.48xlarge': { gpus: 8, gpuMemoryGiB: 24, memoryGiB: 768, localNvme: true, hostingUsdPerHour: 16.594 },
  'ml.p3dn.24xlarge': { gpus: 8, gpuMemoryGiB: 32, memoryGiB: 768, localNvme: true, trainingUsdPerHour: 43.68 },
  'ml.p4d.24xlarge': {
    gpus: 8,
    gpuMemoryGiB: 40,
    memoryGiB: 1152,
    localNvme: true,
    trainingUsdPerHour: 37.69,
    hostingUsdPerHour: 37.69,
  },
  'ml.p5.48xlarge': { gpus: 8, gpuMemoryGiB: 80, memoryGiB: 2048, localNvme: true, hostingUsdPerHour: 113.07 },
};

/** `g5` for `ml.g5.12xlarge`: JumpStart chooses images and gated weights by family. */
export function instanceFamily(instanceType: string): string {
  return instanceType.split('.')[1] ?? instanceType;
}

export function instanceFacts(instanceType: string): InstanceTypeFacts | undefined {
  return INSTANCE_TYPES[instanceType];
}

/**
 * The instance types a SageMaker training plan can reserve (the SDK's
 * `ReservedCapacityInstanceType`, @aws-sdk/client-sagemaker 3.11xx): a plan for any other type
 * cannot exist, so a job on another type with a plan could never start.
 */
export const PLAN_RESERVABLE_TYPES: readonly string[] = [
  'ml.p4d.24xlarge',
  'ml.p4de.24xlarge',
  'ml.p5.4xlarge',
  'ml.p5.48xlarge',
  'ml.p5e.48xlarge',
  'ml.p5en.48xlarge',
  'ml.p6-b200.48xlarge',
  'ml.p6-b300.48xlarge',
  'ml.p6e-gb200.36xlarge',
  'ml.trn1.32xlarge',
  'ml.trn2.48xlarge',
];
