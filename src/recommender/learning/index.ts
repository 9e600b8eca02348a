export * from './beta.js';
export * from './outcomes.js';
export * from './source-weights.js';
export {
  backerFactor,
  DEFAULT_MEMBER_FEEDBACK,
  lessonStrength,
  type MemberFeedbackConfig,
  type PickReaction,
} from './member-feedback.js';
