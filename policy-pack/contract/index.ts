/**
 * The contract between the platform (components/, stacks/), the tools and this pack. It lives in the
 * pack because the pack must stand alone (it is published and gates other programs); everything
 * else imports these facts from here, so each has one home.
 */
export * from "./revisions";
export * from "./events";
export * from "./declaration";
export * from "./features";
export * from "./detections";
export * from "./resourceTypes";
export * from "./gatewayTls";
