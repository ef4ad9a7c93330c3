import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { IConstruct } from 'constructs';
import { buildTopologyModel } from './build-model';
import { drawioOf, renderDrawio } from './drawio';
import { layoutTopology } from './layout';
import { TopologyModel } from './model';
import { renderSvg, svgOf } from './svg';
import { ConstructValidationError } from '../core/errors';

/** The files `TopologyDiagram.writeFiles` wrote. */
export interface TopologyDiagramFiles {
  /** Path of the SVG, for people: `<outdir>/topology.svg`. */
  readonly svgPath: string;
  /** Path of the draw.io document, for editing: `<outdir>/topology.drawio`. */
  readonly drawioPath: string;
}

/**
 * The topology diagram of a construct tree, derived from its Terraform resources: the layers
 * and subnets (with NSGs), the request path from the client through the WAF and Application
 * Gateway, API Management and the Istio ingress gateway to the services, and the
 * service-to-service calls that Istio ALLOW AuthorizationPolicies permit. Laid out with ELK.
 *
 * Works on any tree: this library's constructs and users' own resources alike.
 *
 * @example
 * app.synth();
 * await TopologyDiagram.writeFiles(app, app.outdir); // topology.svg and topology.drawio
 */
export class TopologyDiagram {
  /**
   * The topology model of every Terraform resource under `scope` (usually the App). Build it
   * once every construct is added (in a main program: after `app.synth()`).
   */
  public static buildModel(scope: IConstruct): TopologyModel {
    return buildTopologyModel(scope);
  }

  /** The model as an SVG document. */
  public static async renderSvg(model: TopologyModel): Promise<string> {
    return renderSvg(model);
  }

  /** The model as a draw.io document (uncompressed XML). */
  public static async renderDrawio(model: TopologyModel): Promise<string> {
    return renderDrawio(model);
  }

  /**
   * Writes `topology.svg` and `topology.drawio` for the tree under `scope` into `outdir`
   * (created if missing), e.g. `await TopologyDiagram.writeFiles(app, app.outdir)`.
   */
  public static async writeFiles(scope: IConstruct, outdir: string): Promise<TopologyDiagramFiles> {
    return writeTopologyDiagrams(scope, outdir);
  }

  private constructor() {}
}

/**
 * Writes `topology.svg` and `topology.drawio` for the tree under `scope` into `outdir`.
 *
 * @jsii ignore
 */
export async function writeTopologyDiagrams(scope: IConstruct, outdir: string): Promise<TopologyDiagramFiles> {
  if (typeof outdir !== 'string' || outdir.trim() === '') {
    throw new ConstructValidationError(scope, 'outdir', outdir, 'expected the path of a directory, e.g. app.outdir.');
  }
  // One layout serves both files, so they show the same picture.
  const layout = await layoutTopology(buildTopologyModel(scope));
  mkdirSync(outdir, { recursive: true });
  const files = { svgPath: join(outdir, 'topology.svg'), drawioPath: join(outdir, 'topology.drawio') };
  writeFileSync(files.svgPath, svgOf(layout));
  writeFileSync(files.drawioPath, drawioOf(layout));
  return files;
}
