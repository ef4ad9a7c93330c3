/** How API Management is injected into its subnet. */
export enum VirtualNetworkMode {
  /** Gateway, portal and management endpoints only on a private IP in the subnet (reached from the VNet). */
  INTERNAL = 'Internal',
  /** Endpoints on a public IP, backends reached through the subnet. */
  EXTERNAL = 'External',
}

/**
 * The pricing tier and scale units of API Management (`sku_name`, e.g. `Premium_2`).
 * Only the classic Developer and Premium tiers can be injected into a VNet; the others
 * exist so that asking for them fails with a clear message.
 */
export class ApimSku {
  /** Developer (one unit, no SLA): VNet injection for non-production. */
  public static developer(): ApimSku {
    return new ApimSku('Developer', 1);
  }

  /** Premium with `units` scale units (1 to 99): VNet injection, zones, SLA. */
  public static premium(units: number = 1): ApimSku {
    return new ApimSku('Premium', units);
  }

  /** Basic (classic): no VNet injection. */
  public static basic(units: number = 1): ApimSku {
    return new ApimSku('Basic', units);
  }

  /** Standard (classic): no VNet injection. */
  public static standard(units: number = 1): ApimSku {
    return new ApimSku('Standard', units);
  }

  /** Consumption: no VNet injection. */
  public static consumption(): ApimSku {
    return new ApimSku('Consumption', 0);
  }

  /** Standard v2: outbound VNet integration only, not the classic injection this construct builds. */
  public static standardV2(units: number = 1): ApimSku {
    return new ApimSku('StandardV2', units);
  }

  /** Premium v2: injected with a different model than the classic tiers; not supported here. */
  public static premiumV2(units: number = 1): ApimSku {
    return new ApimSku('PremiumV2', units);
  }

  private constructor(
    /** Tier name, e.g. `Premium`. */
    public readonly tier: string,
    /** Scale units. */
    public readonly units: number,
  ) {}

  /** The provider's `sku_name`, e.g. `Premium_2`. */
  public get skuName(): string {
    return `${this.tier}_${this.units}`;
  }

  /** True for the tiers that can be injected into a VNet in the classic model (Developer, Premium). */
  public get vnetInjectable(): boolean {
    return this.tier === 'Developer' || this.tier === 'Premium';
  }
}
