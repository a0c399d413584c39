import { Aws, Fn, IResource, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { FineTunedModelVersion, FineTunedModelVersionOptions } from './fine-tuned-model-version';
import { checkRegistryProps } from './private/registry-prop-checks';
import { throwIfProblems } from '../config/configuration-error';
import { sageMakerNameProblem } from '../config/input-checks';

/** Whether a model version may be deployed: SageMaker serves a version of a group only once it is Approved. */
export enum ModelApprovalStatus {
  /** Waits for a person to approve or reject it. */
  PENDING_MANUAL_APPROVAL = 'PendingManualApproval',
  /** May be deployed. */
  APPROVED = 'Approved',
  /** Refused. */
  REJECTED = 'Rejected',
}

/** A SageMaker model package group: the versions of one fine-tuned model. */
export interface IModelRegistry extends IResource {
  /** The group's name. */
  readonly modelPackageGroupName: string;
  /** The group's ARN. */
  readonly modelPackageGroupArn: string;
  /** Lets `grantee` see the group and read its versions (what `aws sagemaker list-model-packages` needs). */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** Lets `grantee` approve or reject versions, and attach evaluations to them (`llama3-ft evaluate --register`). */
  grantApprove(grantee: iam.IGrantable): iam.Grant;
}

/** Reading a group and its versions. */
const READ_ACTIONS = [
  'sagemaker:DescribeModelPackageGroup',
  'sagemaker:DescribeModelPackage',
  'sagemaker:ListModelPackages',
];

abstract class ModelRegistryBase extends Resource implements IModelRegistry {
  public abstract readonly modelPackageGroupName: string;
  public abstract readonly modelPackageGroupArn: string;

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: READ_ACTIONS,
      resourceArns: [this.modelPackageGroupArn, this.versionArns],
    });
  }

  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage'],
      resourceArns: [this.versionArns],
    });
  }

  /** Every version of the group: `model-package/<group>/<version>`, as SageMaker writes ARNs, in lower case. */
  protected get versionArns(): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'model-package',
      resourceName: `${arnName(this.modelPackageGroupName)}/*`,
    });
  }
}

/** SageMaker writes the names in its ARNs in lower case; IAM compares ARNs as written. */
function arnName(name: string): string {
  return Token.isUnresolved(name) ? name : name.toLowerCase();
}

/** Props of ModelRegistry. */
export interface ModelRegistryProps {
  /**
   * The model package group's name; it must not be in use (a retained group of a deleted stack is).
   * @default - a name unique to this construct and stack instance (it ends with the stack's id), so
   * no two stacks, and no stack created again, share a group
   */
  readonly modelPackageGroupName?: string;
  /**
   * What the group holds.
   * @default 'Fine-tuned Llama 3 models'
   */
  readonly description?: string;
  /**
   * Accounts that may read the group's versions and serve them (for example production, serving what
   * development trained). The group's resource policy lets each account describe and list the versions
   * and create models from them; the model bucket and its key are shared with `grantModelsTo` or the
   * stack's `modelConsumerAccountIds`.
   * @default - this account only
   */
  readonly consumerAccountIds?: string[];
  /**
   * What happens to the group when it leaves the stack. Its versions are always retained (a version
   * is a record of what was approved), and SageMaker deletes no group that still holds versions.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A SageMaker model registry group for fine-tuned models: each training registers a version
 * (`register`), a person approves it, and any stack — in this account or a consumer account —
 * serves the approved version by its ARN (`FineTunedModelEndpoint`'s `modelPackageArn`).
 */
export class ModelRegistry extends ModelRegistryBase {
  /** An existing group, by name; it creates nothing. */
  public static fromModelPackageGroupName(scope: Construct, id: string, modelPackageGroupName: string): IModelRegistry {
    throwIfProblems([sageMakerNameProblem('modelPackageGroupName', modelPackageGroupName)]);
    class Imported extends ModelRegistryBase {
      public readonly modelPackageGroupName = modelPackageGroupName;
      public readonly modelPackageGroupArn = Stack.of(scope).formatArn({
        service: 'sagemaker',
        resource: 'model-package-group',
        resourceName: arnName(modelPackageGroupName),
      });
    }
    return new Imported(scope, id);
  }

  public readonly modelPackageGroupName: string;
  public readonly modelPackageGroupArn: string;
  /** The model package group. */
  public readonly group: sagemaker.CfnModelPackageGroup;
  /** Accounts the group's policy lets read and serve its versions. */
  public readonly consumerAccountIds: string[];

  constructor(scope: Construct, id: string, props: ModelRegistryProps = {}) {
    super(scope, id);
    checkRegistryProps(props, Stack.of(this).account);
    this.consumerAccountIds = props.consumerAccountIds ?? [];
    // The group outlives its stack (retained), so a default name must not come back: a stack created again
    // after a deletion, or after a first deploy rolled back, would find its old group and fail. The stack's
    // id (a UUID, new for each stack created) ends the name; lower case, as SageMaker's ARNs write it.
    this.modelPackageGroupName =
      props.modelPackageGroupName ??
      `${Names.uniqueResourceName(this, { maxLength: 26, separator: '-' }).toLowerCase()}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
    this.modelPackageGroupArn = Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'model-package-group',
      resourceName: arnName(this.modelPackageGroupName),
    });
    this.group = new sagemaker.CfnModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: this.modelPackageGroupName,
      modelPackageGroupDescription: props.description ?? 'Fine-tuned Llama 3 models',
      modelPackageGroupPolicy: this.consumerAccountIds.length > 0 ? this.consumerPolicy() : undefined,
    });
    this.group.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
  }

  /** Registers a fine-tuned model as a new version of this group. */
  public register(id: string, options: FineTunedModelVersionOptions): FineTunedModelVersion {
    return new FineTunedModelVersion(this, id, { ...options, registry: this });
  }

  /**
   * The consumer accounts may see the group, read its versions and create models from them: the
   * actions AWS's cross-account model registry guide lists, and CreateModel, which serving needs.
   * Approving stays with this account.
   */
  private consumerPolicy(): unknown {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ConsumerAccountsReadAndServe',
          Effect: 'Allow',
          Principal: { AWS: this.consumerAccountIds.map((account) => `arn:${Aws.PARTITION}:iam::${account}:root`) },
          Action: [...READ_ACTIONS, 'sagemaker:CreateModel'],
          Resource: [this.modelPackageGroupArn, this.versionArns],
        },
      ],
    };
  }
}
