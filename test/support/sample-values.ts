/** Resolves a template value to what CloudFormation would send, with sample values for what only a deploy knows. */
export function sampleValue(value: any): any {
  if (Array.isArray(value)) return value.map(sampleValue);
  if (value && typeof value === 'object') {
    if ('Fn::GetAtt' in value) {
      const [, attribute] = value['Fn::GetAtt'];
      if (attribute === 'ModelArtifactsUri') return 's3://dev-model-bucket/output/ft-llama-3-8b-1/output/model.tar.gz';
      if (attribute === 'TrainingJobName') return 'ft-llama-3-8b-1';
      if (attribute === 'HubContentVersion') return '2.8.0';
      if (attribute === 'HostingImageUri')
        return '763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124';
      if (String(attribute).startsWith('HostingEnvironment.')) return '1';
      return 'sample';
    }
    if ('Ref' in value) {
      if (value.Ref === 'AWS::StackId')
        return 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/5f0a7c40-d1e2-11ef-9cd2-0242ac120002';
      return value.Ref === 'AWS::Region' ? 'us-east-1' : 'aws';
    }
    if ('Fn::Select' in value) return sampleValue(value['Fn::Select'][1])[value['Fn::Select'][0]];
    if ('Fn::Split' in value) return sampleValue(value['Fn::Split'][1]).split(value['Fn::Split'][0]);
    if ('Fn::Join' in value) return sampleValue(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sampleValue(v)]));
  }
  return value;
}
