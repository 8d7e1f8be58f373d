import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

export type BackgroundJobStatus = 'queued' | 'running' | 'done' | 'failed';

/**
 * Long work queued by a chat update and run in the background (a spreadsheet import).
 * `input` keeps what the job needs (the uploaded file) until it has finished, so a restart
 * runs it again instead of losing it; a running job holds a lease (`owner`, `leaseUntil`).
 */
export class BackgroundJob extends Model<InferAttributes<BackgroundJob>, InferCreationAttributes<BackgroundJob>> {
  declare id: CreationOptional<number>;
  declare kind: string;
  declare status: CreationOptional<BackgroundJobStatus>;
  declare actorPersonId: number;
  /** Where progress and the outcome go. */
  declare channel: string;
  declare chatId: string;
  /** What the admin sees in the job list, e.g. the file name. */
  declare title: string;
  /** JSON of the job's parameters. */
  declare params: string;
  declare input: Buffer | null;
  declare dedupeKey: string | null;
  declare progress: CreationOptional<string | null>;
  declare progressMessageId: CreationOptional<string | null>;
  declare attempts: CreationOptional<number>;
  declare owner: CreationOptional<string | null>;
  declare leaseUntil: CreationOptional<Date | null>;
  /** How it ended, as JSON data (services/platform/job-outcomes.ts); older rows hold a line of Chinese text. */
  declare outcome: CreationOptional<string | null>;
  declare finishedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    BackgroundJob.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
        actorPersonId: { type: DataTypes.INTEGER, allowNull: false },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        chatId: { type: DataTypes.STRING(64), allowNull: false },
        title: { type: DataTypes.STRING(300), allowNull: false },
        params: { type: DataTypes.TEXT, allowNull: false },
        input: { type: DataTypes.BLOB, allowNull: true },
        dedupeKey: { type: DataTypes.STRING(200), allowNull: true, unique: true },
        progress: { type: DataTypes.STRING(200), allowNull: true },
        progressMessageId: { type: DataTypes.STRING(64), allowNull: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        owner: { type: DataTypes.STRING(64), allowNull: true },
        leaseUntil: { type: DataTypes.DATE, allowNull: true },
        outcome: { type: DataTypes.STRING(500), allowNull: true },
        finishedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'background_jobs', underscored: true },
    );
  }
}
