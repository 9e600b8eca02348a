import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** Sequelize models mirror the migrations; the schema itself comes only from migrations (never `sync()`). */

export class UserModel extends Model<InferAttributes<UserModel>, InferCreationAttributes<UserModel>> {
  declare id: string;
  declare shareTaste: CreationOptional<boolean>;
  declare showName: CreationOptional<boolean>;
  declare publicProfile: CreationOptional<boolean>;
  declare timezone: CreationOptional<string>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class GuildModel extends Model<InferAttributes<GuildModel>, InferCreationAttributes<GuildModel>> {
  declare id: string;
  declare region: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class GuildMemberModel extends Model<
  InferAttributes<GuildMemberModel>,
  InferCreationAttributes<GuildMemberModel>
> {
  declare guildId: string;
  declare userId: string;
  declare firstSeenAt: Date;
  declare lastSeenAt: Date;
}

export class MovieModel extends Model<InferAttributes<MovieModel>, InferCreationAttributes<MovieModel>> {
  declare tmdbId: number;
  declare title: string;
  declare searchTitle: string;
  declare originalTitle: string | null;
  declare releaseDate: string | null;
  declare genreIds: number[];
  declare overview: string | null;
  declare posterPath: string | null;
  declare popularity: number | null;
  declare voteAverage: number | null;
  declare voteCount: number | null;
  declare runtime: number | null;
  declare imdbId: string | null;
  declare fetchedAt: Date;
  declare detailsFetchedAt: Date | null;
}

export class RatingModel extends Model<InferAttributes<RatingModel>, InferCreationAttributes<RatingModel>> {
  declare id: CreationOptional<number>;
  declare userId: string;
  declare movieId: number;
  declare score: number;
  declare ratedAt: Date;
}

export class WatchLogModel extends Model<InferAttributes<WatchLogModel>, InferCreationAttributes<WatchLogModel>> {
  declare id: CreationOptional<number>;
  declare userId: string;
  declare movieId: number;
  declare watchedOn: string;
  declare note: string | null;
  declare createdAt: Date;
}

export class WatchlistModel extends Model<InferAttributes<WatchlistModel>, InferCreationAttributes<WatchlistModel>> {
  declare userId: string;
  declare movieId: number;
  declare addedAt: Date;
}

export class RecommendationMessageModel extends Model<
  InferAttributes<RecommendationMessageModel>,
  InferCreationAttributes<RecommendationMessageModel>
> {
  declare messageId: string;
  declare guildId: string;
  declare channelId: string;
  declare audience: 'member' | 'group';
  declare forUserId: string | null;
  declare createdAt: Date;
}

export class RecommendationItemModel extends Model<
  InferAttributes<RecommendationItemModel>,
  InferCreationAttributes<RecommendationItemModel>
> {
  declare messageId: string;
  declare position: number;
  declare movieId: number;
  declare source: 'neighbours' | 'popular' | 'group' | 'similar-films' | 'server-favourites';
  declare score: number;
}

export class FeedbackModel extends Model<InferAttributes<FeedbackModel>, InferCreationAttributes<FeedbackModel>> {
  declare id: CreationOptional<number>;
  declare userId: string;
  declare movieId: number;
  declare messageId: string | null;
  declare value: 1 | -1;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A member who deleted their data, and when (see the forget-tombstones migration). */
export class MemberTombstoneModel extends Model<
  InferAttributes<MemberTombstoneModel>,
  InferCreationAttributes<MemberTombstoneModel>
> {
  declare userId: string;
  declare forgottenAt: Date;
}

/** A guild the bot left, and when. */
export class GuildTombstoneModel extends Model<
  InferAttributes<GuildTombstoneModel>,
  InferCreationAttributes<GuildTombstoneModel>
> {
  declare guildId: string;
  declare forgottenAt: Date;
}

export interface Models {
  User: typeof UserModel;
  Guild: typeof GuildModel;
  GuildMember: typeof GuildMemberModel;
  Movie: typeof MovieModel;
  Rating: typeof RatingModel;
  WatchLog: typeof WatchLogModel;
  Watchlist: typeof WatchlistModel;
  RecommendationMessage: typeof RecommendationMessageModel;
  RecommendationItem: typeof RecommendationItemModel;
  Feedback: typeof FeedbackModel;
  MemberTombstone: typeof MemberTombstoneModel;
  GuildTombstone: typeof GuildTombstoneModel;
}

const snowflake = DataTypes.STRING(20);
const noTimestamps = { timestamps: false } as const;

/**
 * Binds fresh subclasses of the models to `sequelize`, so two databases (SQLite and PostgreSQL in one test
 * file, say) never share Sequelize's static model state.
 */
export function defineModels(sequelize: Sequelize): Models {
  const User = class extends UserModel {};
  const Guild = class extends GuildModel {};
  const GuildMember = class extends GuildMemberModel {};
  const Movie = class extends MovieModel {};
  const Rating = class extends RatingModel {};
  const WatchLog = class extends WatchLogModel {};
  const Watchlist = class extends WatchlistModel {};
  const RecommendationMessage = class extends RecommendationMessageModel {};
  const RecommendationItem = class extends RecommendationItemModel {};
  const Feedback = class extends FeedbackModel {};
  const MemberTombstone = class extends MemberTombstoneModel {};
  const GuildTombstone = class extends GuildTombstoneModel {};
  User.init(
    {
      id: { type: snowflake, primaryKey: true },
      shareTaste: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      showName: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      publicProfile: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      timezone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'users' },
  );
  Guild.init(
    {
      id: { type: snowflake, primaryKey: true },
      region: { type: DataTypes.STRING(2), allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'guilds' },
  );
  GuildMember.init(
    {
      guildId: { type: snowflake, primaryKey: true },
      userId: { type: snowflake, primaryKey: true },
      firstSeenAt: { type: DataTypes.DATE, allowNull: false },
      lastSeenAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'guild_members', ...noTimestamps },
  );
  Movie.init(
    {
      tmdbId: { type: DataTypes.INTEGER, primaryKey: true },
      title: { type: DataTypes.STRING(512), allowNull: false },
      searchTitle: { type: DataTypes.STRING(512), allowNull: false },
      originalTitle: DataTypes.STRING(512),
      releaseDate: DataTypes.STRING(10),
      genreIds: { type: DataTypes.JSON, allowNull: false },
      overview: DataTypes.TEXT,
      posterPath: DataTypes.STRING(255),
      popularity: DataTypes.DOUBLE,
      voteAverage: DataTypes.DOUBLE,
      voteCount: DataTypes.INTEGER,
      runtime: DataTypes.INTEGER,
      imdbId: DataTypes.STRING(16),
      fetchedAt: { type: DataTypes.DATE, allowNull: false },
      detailsFetchedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'movies', ...noTimestamps },
  );
  Rating.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: snowflake, allowNull: false },
      movieId: { type: DataTypes.INTEGER, allowNull: false },
      score: { type: DataTypes.DOUBLE, allowNull: false },
      ratedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'ratings', ...noTimestamps },
  );
  WatchLog.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: snowflake, allowNull: false },
      movieId: { type: DataTypes.INTEGER, allowNull: false },
      watchedOn: { type: DataTypes.STRING(10), allowNull: false },
      note: DataTypes.TEXT,
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'watch_log', ...noTimestamps },
  );
  Watchlist.init(
    {
      userId: { type: snowflake, primaryKey: true },
      movieId: { type: DataTypes.INTEGER, primaryKey: true },
      addedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'watchlist', ...noTimestamps },
  );
  RecommendationMessage.init(
    {
      messageId: { type: snowflake, primaryKey: true },
      guildId: { type: snowflake, allowNull: false },
      channelId: { type: snowflake, allowNull: false },
      audience: { type: DataTypes.STRING(16), allowNull: false },
      forUserId: snowflake,
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'recommendation_messages', ...noTimestamps },
  );
  RecommendationItem.init(
    {
      messageId: { type: snowflake, primaryKey: true },
      position: { type: DataTypes.INTEGER, primaryKey: true },
      movieId: { type: DataTypes.INTEGER, allowNull: false },
      source: { type: DataTypes.STRING(32), allowNull: false },
      score: { type: DataTypes.DOUBLE, allowNull: false },
    },
    { sequelize, tableName: 'recommendation_items', ...noTimestamps },
  );
  Feedback.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: snowflake, allowNull: false },
      movieId: { type: DataTypes.INTEGER, allowNull: false },
      messageId: snowflake,
      value: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'feedback' },
  );
  MemberTombstone.init(
    {
      userId: { type: snowflake, primaryKey: true },
      forgottenAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'member_tombstones', ...noTimestamps },
  );
  GuildTombstone.init(
    {
      guildId: { type: snowflake, primaryKey: true },
      forgottenAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'guild_tombstones', ...noTimestamps },
  );
  return {
    User,
    Guild,
    GuildMember,
    Movie,
    Rating,
    WatchLog,
    Watchlist,
    RecommendationMessage,
    RecommendationItem,
    Feedback,
    MemberTombstone,
    GuildTombstone,
  };
}
