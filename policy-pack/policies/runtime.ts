import type { ContainerAppsSessionPoolArgs, ManagedEnvironmentArgs } from "@pulumi/azure-native/app";
import type { Inputs } from "../lib/inputs";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { optionalControlEnabled } from "../contract/declaration";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * The Container Apps runtime (RT): the environment has no public endpoint and encrypts peer
 * traffic; sessions cannot reach out. That apps and pools run only in such an environment is an
 * app policy (azure-containerapps-app-*), so it lives in workload.ts.
 */

export const azureContainerAppsEnvironmentEnforceInternal = resourcePolicy<Inputs<ManagedEnvironmentArgs>>({
    name: "azure-containerapps-environment-enforce-internal",
    description:
        "A Container Apps environment is VNet-integrated with an internal load balancer only (vnetConfiguration.internal " +
        "and an infrastructure subnet), and public network access, when set, is Disabled. An absent setting is a violation. Compared against: the secure default, internal with an infrastructure subnet.",
    controls: ["C10.3", "A2"],
    component: "runtime",
    remediationSteps:
        "Create the environment through components/runtime (vnetConfiguration { internal: true, infrastructureSubnetId }); " +
        "internal mode is fixed at creation, so an external environment must be recreated.",
    appliesTo: [resourceTypes.app.ManagedEnvironment],
    validate: (props, _args, must) => {
        if (props.vnetConfiguration?.internal !== true) must("be internal (vnetConfiguration.internal: true), with no public endpoint");
        if (!props.vnetConfiguration?.infrastructureSubnetId) must("be integrated into the platform VNet (vnetConfiguration.infrastructureSubnetId)");
        // Absent is fine here: an internal environment has no public ingress to open; only an explicit Enabled is wrong.
        if (props.publicNetworkAccess !== undefined && props.publicNetworkAccess !== "Disabled") {
            must(`disable public network access (got "${props.publicNetworkAccess}")`);
        }
    },
});

export const azureContainerAppsEnvironmentEnablePeerEncryption = resourcePolicy<Inputs<ManagedEnvironmentArgs>>({
    name: "azure-containerapps-environment-enable-peer-encryption",
    description: "A Container Apps environment encrypts traffic between its apps (peerTrafficConfiguration.encryption.enabled). Compared against: the secure default, encryption enabled (absent = off).",
    controls: ["C3.2"],
    component: "runtime",
    severity: "medium",
    remediationSteps: "Set peerTrafficConfiguration: { encryption: { enabled: true } } on the environment (components/runtime does).",
    appliesTo: [resourceTypes.app.ManagedEnvironment],
    validate: (props, _args, must) => {
        if (props.peerTrafficConfiguration?.encryption?.enabled !== true) {
            must("encrypt peer traffic (peerTrafficConfiguration.encryption.enabled: true)");
        }
    },
});

export const azureContainerAppsSessionPoolDisableEgress = resourcePolicy<Inputs<ContainerAppsSessionPoolArgs>>({
    name: "azure-containerapps-sessionpool-disable-egress",
    description:
        "A dynamic sessions pool runs untrusted code with outbound network disabled (sessionNetworkConfiguration.status " +
        "EgressDisabled), dynamically managed with a timed or bounded lifecycle. An absent setting is a violation. Compared against: the secure default, EgressDisabled and a Dynamic pool.",
    controls: ["C10.1"],
    component: "runtime",
    remediationSteps:
        "Set sessionNetworkConfiguration: { status: EgressDisabled } and poolManagementType Dynamic (components/runtime sandbox); " +
        "a tool that needs outbound access belongs in its own MCP server, not in the code sandbox.",
    appliesTo: [resourceTypes.app.ContainerAppsSessionPool],
    validate: (props, _args, must) => {
        if (props.sessionNetworkConfiguration?.status !== "EgressDisabled") must("disable outbound network for sessions (EgressDisabled)");
        if (props.poolManagementType !== "Dynamic") must("be a dynamic pool (poolManagementType: Dynamic), so sessions are never reused across callers");
    },
});

export const azureContainerAppsSessionPoolMissingSandbox = stackPolicy({
    name: "azure-containerapps-sessionpool-missing-sandbox",
    description:
        "When the platform turns the optional control dynamicSessions on, the stack contains a dynamic sessions pool for " +
        "code-executing tools. Off (or no platform component): not enforced. Compared against: the declaration's optionalControls.dynamicSessions.",
    controls: ["C10.1"],
    component: "runtime",
    severity: "medium",
    remediationSteps: "Give mcp-platform:runtime.sandbox an image so components/runtime creates the pool, or turn features.dynamicSessions off with a reason.",
    validate: (resources, _args, must) => {
        if (!optionalControlEnabled(resources, "dynamicSessions")) return;
        if (!resources.some((r) => r.type === resourceTypes.app.ContainerAppsSessionPool)) must(undefined, "contain a dynamic sessions pool (features.dynamicSessions is on)");
    },
});
