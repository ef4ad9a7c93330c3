// The one place the library imports the CDK for Terraform runtime, so that a later move
// to the CDK Terrain fork changes one import path instead of every construct.
export {
  Annotations,
  Aspects,
  Fn,
  Lazy,
  Op,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Token,
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
// Used by the policy pack to resolve a resource's configuration the way synthesis does.
export { App, DefaultTokenResolver, StringConcat, TerraformVariable, Tokenization } from 'cdktf';
