#!/usr/bin/env python3
"""The example app in Python: the same stack and context keys as bin/app.ts.

    pip install cdk-llama3-finetuning aws-cdk-lib constructs
    cdk synth --app "python3 app.py" -c accept_eula=true -c epoch=3

Hyperparameters use SageMaker's names as context keys, as
estimator.set_hyperparameters(epoch="3") does; the library validates them.
"""
import aws_cdk as cdk
from cdk_llama3_finetuning import Hyperparameters, Llama3FineTuningStack

app = cdk.App()


def context(key, parse=str):
    value = app.node.try_get_context(key)
    return None if value is None else parse(value)


def boolean(value):
    return value if isinstance(value, bool) else str(value).lower() == "true"


Llama3FineTuningStack(
    app,
    "Llama3FineTuning",
    accept_eula=context("accept_eula", boolean) or False,
    model_id=context("model_id"),
    training_instance_type=context("instance_type"),
    train_data=context("train_data"),
    validation_data=context("validation_data"),
    endpoint_instance_type=context("endpoint_instance_type"),
    deploy_endpoint=context("deploy_endpoint", boolean),
    existing_training_job_name=context("training_job_name"),
    alarm_email=context("alarm_email"),
    hyperparameters=Hyperparameters(
        epoch=context("epoch", int),
        learning_rate=context("learning_rate", float),
        lora_r=context("lora_r", int),
        instruction_tuned=context("instruction_tuned", boolean),
        chat_dataset=context("chat_dataset", boolean),
        max_input_length=context("max_input_length", int),
        per_device_train_batch_size=context("per_device_train_batch_size", int),
        int8_quantization=context("int8_quantization", boolean),
        enable_fsdp=context("enable_fsdp", boolean),
    ),
)

app.synth()
