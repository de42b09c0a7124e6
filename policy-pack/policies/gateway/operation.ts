import { resourcePolicy } from "../../lib/policy";
import { resourceTypes } from "../../contract/resourceTypes";

/**
 * M3 ("a proxy with a static client id must obtain consent for every dynamically registered
 * client") applied to this stack: the platform deploys no dynamic client registration (RFC 7591)
 * and has no consent page for it; every client is an Entra app from config. So any gateway
 * operation that serves a registration endpoint (a path ending in `/register` or `/registration`)
 * is a registration endpoint without a consent step and is rejected. A deployment that adds one
 * behind its own consent screen records that with an exemption and a written reason.
 */
export function isRegistrationPath(urlTemplate: string): boolean {
    const segments = urlTemplate.split("?")[0].split("/").filter(Boolean);
    const last = (segments[segments.length - 1] ?? "").toLowerCase();
    return last === "register" || last === "registration";
}

export const azureApimanagementOperationDisallowClientRegistration = resourcePolicy<{ urlTemplate?: string }>({
    name: "azure-apimanagement-operation-disallow-client-registration",
    description: "No API Management operation exposes an OAuth dynamic client registration endpoint (no consent step exists for it). Compared against: the secure default, no registration path (the platform has no consent page for RFC 7591 clients).",
    controls: ["M3"],
    component: "gateway",
    remediationSteps:
        "Remove the registration operation; register MCP clients as Entra apps through config clientApps, where " +
        "pre-authorisation is an explicit allow-list and every other client needs admin consent.",
    appliesTo: [resourceTypes.apimanagement.ApiOperation],
    validate: (props, _args, must) => {
        if (typeof props.urlTemplate !== "string") {
            must("declare a urlTemplate (without one it cannot be shown not to be a client registration endpoint)");
        } else if (isRegistrationPath(props.urlTemplate)) {
            must(`not expose a dynamic client registration endpoint (urlTemplate ${props.urlTemplate})`);
        }
    },
});
