// The one place the library imports the CDK for Terraform runtime, so that a later move
// to the CDK Terrain fork changes one import path instead of every construct.
export {
  Annotations,
  Aspects,
  Fn,
  IAspect,
  ITerraformDependable,
  Lazy,
  TerraformElement,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
} from 'cdktf';
