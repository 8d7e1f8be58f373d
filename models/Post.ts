import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** A cadre post (职务, R14): one person may hold many, in any organisations; it never moves membership. */
export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<number>;
  declare personId: number;
  declare orgId: number;
  /** 书记, 副书记, 组织委员 … as shown to users. */
  declare title: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Post.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        orgId: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(50), allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'posts', underscored: true },
    );
  }
}
